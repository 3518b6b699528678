"""Telling every app process that a meeting changed, and each process's waiting devices.

A change that bumps a meeting's version calls `meeting_changed()` inside its transaction. On
PostgreSQL that is `pg_notify`, which the database delivers when the transaction commits (and
never if it rolls back) to every process listening on the channel, on any app server. Each
process holds one listening connection (`Hub`), started by the first device that subscribes,
and wakes that process's devices of the meeting. On SQLite (the demo, one process) the same
happens in-process after the commit.

The hub lives on the ASGI server's event loop; nothing here is used by WSGI or by tests that do
not stream.
"""

import asyncio
import logging
from collections import defaultdict

from django.db import connection, transaction

logger = logging.getLogger(__name__)

CHANNEL = "samtal_live"
RECONNECT_SECONDS = 1.0


def meeting_changed(meeting_id, version):
    """Announce a meeting's new version once the current transaction commits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, f"{meeting_id}:{version}"])
    else:
        transaction.on_commit(lambda: hub.deliver_threadsafe(meeting_id, version))


class Subscription:
    """One device's place in the hub: the newest version it has not seen yet."""

    __slots__ = ("meeting_id", "priority", "queue")

    def __init__(self, meeting_id, priority=0):
        self.meeting_id = meeting_id
        self.priority = priority
        self.queue = asyncio.Queue(maxsize=1)

    def offer(self, version):
        if self.queue.full():
            older = self.queue.get_nowait()
            version = max(version, older)
        self.queue.put_nowait(version)

    async def next_version(self, timeout):
        """The next version, or None after `timeout` seconds without one."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None


class Hub:
    """The process's devices by meeting, and its one LISTEN connection (PostgreSQL)."""

    def __init__(self):
        self.rooms = defaultdict(set)
        self.versions = {}
        self.loop = None
        self.listener = None
        # Counts the times the LISTEN connection came up; 0 while it is down. A version read
        # from the database while it was up stays current: every later change is heard.
        self.listening = 0
        self._connections = 0
        self.known = {}  # meeting id -> newest version heard or read while listening

    # --- devices ------------------------------------------------------------------------

    def subscribe(self, meeting_id, priority=0):
        """A device's subscription; lower `priority` values are woken first."""
        self._ensure_started()
        subscription = Subscription(meeting_id, priority)
        self.rooms[meeting_id].add(subscription)
        return subscription

    def unsubscribe(self, subscription):
        room = self.rooms.get(subscription.meeting_id)
        if room is not None:
            room.discard(subscription)
            if not room:
                del self.rooms[subscription.meeting_id]

    def watch(self):
        """Start listening (if not yet) without subscribing: for the poll."""
        self._ensure_started()

    def known_version(self, meeting_id):
        """The meeting's current version if this process can vouch for it, else None."""
        return self.known.get(meeting_id) if self.listening else None

    def learn(self, meeting_id, version, listening):
        """A version read from the database while `listening` (the value before the read)."""
        if listening and listening == self.listening:
            self.known[meeting_id] = max(version, self.known.get(meeting_id, -1))

    def device_count(self):
        return sum(len(room) for room in self.rooms.values())

    # --- news ---------------------------------------------------------------------------

    def deliver(self, meeting_id, version):
        """Wake the meeting's devices in this process (on the event loop)."""
        if version <= self.versions.get(meeting_id, -1):
            return
        self.versions[meeting_id] = version
        if self.listening:
            self.known[meeting_id] = max(version, self.known.get(meeting_id, -1))
        for subscription in sorted(self.rooms.get(meeting_id, ()), key=_priority):
            subscription.offer(version)

    def deliver_threadsafe(self, meeting_id, version):
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.deliver, meeting_id, version)

    # --- the listening connection -------------------------------------------------------

    def _ensure_started(self):
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop = loop
            self.listener = None
        if self.listener is None and connection.vendor == "postgresql":
            self.listener = loop.create_task(self._listen(), name="samtal-live-listen")

    async def _listen(self):
        import psycopg

        params = _connection_params()
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    **params, autocommit=True
                ) as listening:
                    await listening.execute(f"LISTEN {CHANNEL}")
                    self._connections += 1
                    self.listening = self._connections
                    # Whatever committed while not listening is caught up by reading it.
                    await self._catch_up(listening)
                    async for notice in listening.notifies():
                        meeting_id, _, version = notice.payload.partition(":")
                        self.deliver(int(meeting_id), int(version))
            except asyncio.CancelledError:
                self._stopped_listening()
                raise
            except Exception:
                self._stopped_listening()
                logger.exception("Live: the LISTEN connection failed; reconnecting")
                await asyncio.sleep(RECONNECT_SECONDS)

    def _stopped_listening(self):
        self.listening = 0
        self.known.clear()

    async def _catch_up(self, listening):
        ids = list(self.rooms)
        if not ids:
            return
        from django.apps import apps

        Meeting = apps.get_model("meetings", "Meeting")  # a layer above: looked up, not imported
        table = connection.ops.quote_name(Meeting._meta.db_table)
        cursor = await listening.execute(
            f"SELECT id, version FROM {table} WHERE id = ANY(%s)", [ids]
        )
        for meeting_id, version in await cursor.fetchall():
            self.deliver(meeting_id, version)


def _priority(subscription):
    return subscription.priority


def _connection_params():
    """The default database's connection settings, for a connection of our own."""
    from django.db import connections

    settings = connections["default"].settings_dict
    params = {
        "dbname": settings["NAME"],
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
    }
    options = {
        key: value
        for key, value in (settings.get("OPTIONS") or {}).items()
        if key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "options")
    }
    return {key: value for key, value in params.items() if value} | options


hub = Hub()
