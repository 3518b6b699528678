"""The route matrix: for every URL pattern, who of the fixed cast gets which answer, per
meeting status. tests/test_route_matrix.py walks the resolver and holds every route to this
table; a route missing here fails it. Adding a route = adding its line below.

The cast (tests/route_world.py builds it):
  anonymous           no session
  outsider            logged in, in no meeting
  deltagare           deltagare of this meeting (account)
  antecknare          antecknare of this meeting (account)
  samtalsledare       samtalsledare of this meeting, and its creator
  other_leader        samtalsledare of another meeting
  kommunledning       permission meetings.review_archive, no role in the meeting
  superuser           is_superuser (and is_staff), no role in the meeting
  link                personal link of a deltagare of this meeting (no account, no session)
  other_link          personal link of a participant of another (planned) meeting
  creator_antecknare  created a meeting in which they are only antecknare; tried against
                      that meeting (a twin of this meeting, same status and objects)
  other_organisation  planner, kommunledning and administrator of another organisation on
                      the same installation: denied everything of this one (its own pages
                      answer, and the test checks they show nothing of this organisation)

The cast's accounts are planners (may create meetings) except deltagare, outsider and
kommunledning.

Each cell is an HTTP status code, or LOGIN (a redirect to a login page); 302 is a redirect
anywhere else. A code written (planerad, pagar, avslutad) differs per status.

Denials follow one rule (`staff`), so a route's line lists only who gets in:
  - no session (anonymous, link, other_link) on a staff route: LOGIN;
  - logged in but not allowed: 403 (an unknown object would be 404: kwargs here always
    name objects that exist for the meeting);
  - /l/<token>/… routes (`link_route`): a cast member without a personal link sends a token
    that is none (404); the other meeting's link reaches only its own meeting: on a route
    that names an object of this meeting it gets 404, on a token-only route the page of its
    own meeting (never this meeting's content: the test checks the theme does not show);
  - POST-only routes answer GET with 405 once past the login (`post_only`);
  - admin:* (one rule, tried on a few admin URLs): staff only, everyone else to its login.
Writes are sent with an empty body (the access decision is judged, not the form), live
writes as fetch() calls (X-Live-Fetch: 204 done, 400 refused by the live rules, 403 locked).

Cells marked `# RULE≠CODE` are where the code before issue 11's access policy
(samtal.core.policy) answered otherwise; CHANGED_BY_POLICY lists them with that answer.
"""

LOGIN = "login"
STATUSES = ("planerad", "pagar", "avslutad")
CAST = (
    "anonymous",
    "outsider",
    "deltagare",
    "antecknare",
    "samtalsledare",
    "other_leader",
    "kommunledning",
    "superuser",
    "link",
    "other_link",
    "creator_antecknare",
    "other_organisation",
)
NO_SESSION = ("anonymous", "link", "other_link")
ACCOUNTS = tuple(m for m in CAST if m not in NO_SESSION)
MEMBERS = ("deltagare", "antecknare", "samtalsledare", "creator_antecknare")
EDITORS = ("antecknare", "samtalsledare", "creator_antecknare")  # creator_antecknare: antecknare
PLANNERS = ("samtalsledare", "creator_antecknare", "superuser")  # samtalsledare or creator
REVIEWERS = ("kommunledning", "superuser")
# Work in an organisation: its kommunledning pages, its administration (each sees only their
# own organisation's: the other organisation's pages answer with its own, empty, content).
ORGANISATION_REVIEWERS = (*REVIEWERS, "other_organisation")
ORGANISATION_ADMINS = ("superuser", "other_organisation")
CREATORS = tuple(m for m in ACCOUNTS if m not in ("deltagare", "outsider", "kommunledning"))
ONLY_FINISHED = (403, 403, 200)


def each(members, code):
    return dict.fromkeys(members, code)


def code_in(code, status):
    return code[STATUSES.index(status)] if isinstance(code, tuple) else code


def staff(allowed=None):
    """A route behind the login: `allowed` members get their code, the rest are denied."""
    allowed = allowed or {}

    def cell(member, status):
        if member in allowed:
            return code_in(allowed[member], status)
        return LOGIN if member in NO_SESSION else 403

    return cell


def link_route(link, other_link):
    """A /l/<token>/… route: only the token counts, never a session."""

    def cell(member, status):
        if member == "link":
            return code_in(link, status)
        if member == "other_link":
            return code_in(other_link, status)
        return 404

    return cell


def everyone(code):
    return lambda member, status: code_in(code, status)


def post_only(post, link=False):
    """A view that only writes: its GET is 405 for whoever gets past the login."""
    get = link_route(405, 405) if link else staff(each(ACCOUNTS, 405))
    return {"GET": get, "POST": post}


def get_only(get):
    return {"GET": get}


# --- The rules of issue 11 --------------------------------------------------------------

# See the meeting: members of any role + superuser, any status; kommunledning when finished.
SEE = staff({**each(MEMBERS, 200), "superuser": 200, "kommunledning": ONLY_FINISHED})
# Plan: the samtalsledare or the creator, and the superuser; writes refused (redirect to the
# meeting page) once it is no longer planned.
PLAN_PAGE = staff(each(PLANNERS, 200))
PLAN_FORM = staff(each(PLANNERS, (422, 302, 302)))  # empty form: 422 while planned
PLAN_WRITE = staff(each(PLANNERS, 302))
# Live: samtalsledare and antecknare; writes outside pågår refused (400 not started, 403
# locked). Some writes need nothing in the body and are done (204) while it runs.
LIVE_PAGE = staff(each(EDITORS, 200))
LIVE_WRITE = staff(each(EDITORS, (400, 400, 403)))
LIVE_WRITE_DONE = staff(each(EDITORS, (400, 204, 403)))
# Change log: samtalsledare and creator + superuser once the meeting has started (before,
# there is nothing in it); kommunledning when finished.
CHANGES = staff(
    {
        "samtalsledare": (403, 200, 200),
        "creator_antecknare": (403, 200, 200),  # RULE≠CODE before the policy: 403
        "superuser": (403, 200, 200),  # RULE≠CODE before the policy: 403
        "kommunledning": ONLY_FINISHED,  # RULE≠CODE before the policy: 403
    }
)
REVIEWER_PAGE = staff(each(ORGANISATION_REVIEWERS, 200))
# Templates: installation staff, and the other organisation's administrator (its process
# owner: its own and the shared templates; this organisation's draft is not found).
TEMPLATE_EDITOR = staff(each(ORGANISATION_ADMINS, 200))
OWN_DRAFT = {"superuser": 200, "other_organisation": 404}
LOGGED_IN = staff(each(ACCOUNTS, 200))
# Follow-up board (as today): kommunledning, superuser, samtalsledare of any meeting, owners
# of an action (the deltagare owns this meeting's action).
BOARD = staff(each(("deltagare", "samtalsledare", "other_leader", *ORGANISATION_REVIEWERS), 200))
# One action (as today): those who see it on the board, once its meeting is finished.
ACTION = ("deltagare", "samtalsledare", *REVIEWERS)

PLAN_READ = staff(
    {
        **each(ACCOUNTS, (404, 404, 403)),
        **each((*MEMBERS, "superuser", "kommunledning"), (404, 404, 200)),
    }
)
UNIT_LEADERS = ("samtalsledare", "other_leader", *REVIEWERS)
UNIT_FOLLOW_UP = staff(each(UNIT_LEADERS, 200))

ROUTES = {
    # --- root ---
    "home": get_only(staff(each(ACCOUNTS, 302))),
    "healthz": get_only(everyone(200)),
    "login": {
        "GET": lambda m, s: 200 if m in NO_SESSION else 302,
        "POST": lambda m, s: 200 if m in NO_SESSION else 302,
    },
    "logout": {"GET": everyone(405), "POST": everyone(LOGIN)},
    # --- meetings ---
    "meetings:mine": get_only(LOGGED_IN),
    # Only planners (each in their own organisation); an empty form is unbound: 200.
    "meetings:create": {"GET": staff(each(CREATORS, 200)), "POST": staff(each(CREATORS, 200))},
    "switch_organisation": post_only(staff(each(ACCOUNTS, 302))),
    "meetings:detail": get_only(
        staff(
            {
                **each(MEMBERS, 200),
                "superuser": 200,
                "kommunledning": ONLY_FINISHED,  # RULE≠CODE before the policy: 403
            }
        )
    ),
    "meetings:a3_pdf": get_only(SEE),
    "meetings:blank_form_pdf": get_only(
        staff(
            {
                **each(MEMBERS, 200),
                "superuser": 200,
                "kommunledning": ONLY_FINISHED,  # RULE≠CODE before the policy: 403
            }
        )
    ),
    "meetings:material": get_only(
        staff(
            {
                **each(MEMBERS, 200),
                "superuser": 200,
                "kommunledning": ONLY_FINISHED,  # RULE≠CODE before the policy: 403
            }
        )
    ),
    "meetings:edit": {"GET": staff(each(PLANNERS, (200, 302, 302))), "POST": PLAN_FORM},
    "meetings:plan": get_only(PLAN_PAGE),
    "meetings:participant_add": post_only(PLAN_FORM),
    "meetings:participants_paste": post_only(PLAN_FORM),
    "meetings:participant_role": post_only(PLAN_FORM),
    "meetings:participant_remove": post_only(PLAN_WRITE),
    "meetings:participant_invite": post_only(PLAN_WRITE),
    "meetings:invitations_send": post_only(PLAN_WRITE),
    "meetings:material_add": post_only(PLAN_FORM),
    "meetings:material_remove": post_only(PLAN_WRITE),
    "meetings:preparation_overview": get_only(PLAN_PAGE),
    "meetings:remind": post_only(PLAN_WRITE),
    # A staff member's own preparation: to their personal link; the superuser has none.
    # Kommunledning sees a finished meeting but has no preparation in it either.
    "meetings:my_preparation": get_only(
        staff({**each(MEMBERS, 302), "superuser": 404, "kommunledning": (403, 403, 404)})
    ),
    # Start: only the samtalsledare (then the live rules: a finished meeting stays finished).
    "meetings:start": post_only(
        staff(
            {
                "samtalsledare": (302, 302, 403),  # a finished meeting is locked
                # creator_antecknare: RULE≠CODE before the policy: 302, the meeting started
                # superuser: RULE≠CODE before the policy: 302, the meeting started
            }
        )
    ),
    # --- keyfigures (issue 18): planners only; changes refused (302 back) once started, and
    # while the organisation has no Kolada code (the matrix's has none, so Kolada is never asked).
    "keyfigures:manage": get_only(PLAN_PAGE),
    "keyfigures:choose": {"GET": PLAN_WRITE, "POST": PLAN_WRITE},
    "keyfigures:remove": post_only(PLAN_WRITE),
    "keyfigures:favourite_add": post_only(PLAN_WRITE),
    "keyfigures:favourite_remove": post_only(PLAN_WRITE),
    "keyfigures:refresh": post_only(PLAN_WRITE),
    # --- a3_live ---
    "a3_live:projector": get_only(LIVE_PAGE),
    "a3_live:notes": get_only(LIVE_PAGE),
    "a3_live:overview": get_only(
        staff(
            {
                **each(MEMBERS, 200),
                "superuser": 200,  # RULE≠CODE before the policy: 403 unless finished
                "kommunledning": ONLY_FINISHED,
            }
        )
    ),
    # The poll answers a signed key in its URL, not a session: without the key, 403.
    # The live feed answers only to a live key (none here): 403 for everyone.
    "a3_live:stream": get_only(everyone(403)),
    "a3_live:poll": get_only(everyone(403)),
    "a3_live:changes": get_only(CHANGES),
    "a3_live:start": post_only(staff({"samtalsledare": (302, 302, 403)})),
    "a3_live:finish": post_only(staff({"samtalsledare": (400, 400, 403)})),
    "a3_live:finish_review": get_only(LIVE_PAGE),
    "a3_live:step": post_only(LIVE_WRITE),
    "a3_live:timer": post_only(LIVE_WRITE),
    "a3_live:speaker": post_only(LIVE_WRITE),
    "a3_live:add_person": post_only(LIVE_WRITE),
    "a3_live:hand_notes": post_only(staff({"samtalsledare": (400, 400, 403)})),
    "a3_live:attendance_all": post_only(LIVE_WRITE_DONE),
    "a3_live:attendance": post_only(LIVE_WRITE_DONE),
    "a3_live:entry_add": post_only(LIVE_WRITE),
    "a3_live:entry_edit": post_only(LIVE_WRITE),
    "a3_live:entry_move": post_only(LIVE_WRITE_DONE),
    "a3_live:entry_delete": post_only(LIVE_WRITE_DONE),
    "a3_live:take_prepared": post_only(LIVE_WRITE_DONE),
    "a3_live:wish_add": post_only(LIVE_WRITE),
    "a3_live:wish_edit": post_only(LIVE_WRITE),
    "a3_live:wish_action": post_only(LIVE_WRITE),
    "a3_live:action_add": post_only(LIVE_WRITE),
    "a3_live:action_edit": post_only(LIVE_WRITE),
    "a3_live:action_move": post_only(LIVE_WRITE_DONE),
    "a3_live:action_delete": post_only(LIVE_WRITE_DONE),
    "a3_live:parking_add": post_only(LIVE_WRITE),
    "a3_live:parking_toggle": post_only(LIVE_WRITE_DONE),
    "a3_live:conflict_resolve": post_only(LIVE_WRITE),
    # --- participants: /l/<token>/… (the other link: its own planned meeting) ---
    "participants:preparation": {
        "GET": link_route(200, 200),
        "POST": link_route((302, 409, 409), 302),  # 409: preparation closed once started
    },
    "participants:autosave": post_only(link_route((200, 409, 409), 200), link=True),
    "participants:opened": post_only(link_route(204, 204), link=True),
    # The note-taker's view through the link: only for an antecknare's or samtalsledare's
    # link (both links here are a deltagare's).
    "participants:live_notes": get_only(link_route(403, 403)),
    "participants:material": get_only(link_route(200, 404)),
    "participants:a3_pdf": get_only(link_route(200, 200)),
    "participants:a3": get_only(link_route(200, 200)),
    "participants:evaluation": {
        "GET": link_route(200, 200),
        "POST": link_route((403, 403, 400), 403),  # open once finished; empty form: 400
    },
    "participants:perspective_split": {
        "GET": link_route(200, 200),
        "POST": link_route(403, 403),  # the group reflection is not opened
    },
    # An action-report link (own token kind) of an owner; the other link owns no action here.
    "participants:action_report": {
        "GET": link_route((404, 404, 200), 404),
        "POST": link_route((404, 404, 400), 404),
    },
    # --- the join code on the projector: anyone (a phone without an account), only while
    # the meeting runs; the split takes no empty POST (the group reflection is not opened) ---
    "join:follow": get_only(everyone((404, 200, 404))),
    "join:split": {"GET": everyone((404, 200, 404)), "POST": everyone((404, 403, 404))},
    # --- evaluations ---
    "evaluations:meeting": get_only(SEE),
    "evaluations:projector": get_only(SEE),
    "evaluations:mine": {
        "GET": staff(each(MEMBERS, 200)),
        "POST": staff(each(MEMBERS, (403, 403, 400))),  # open once finished
    },
    "evaluations:split": {
        "GET": staff(each(MEMBERS, 200)),
        "POST": staff(),  # 403 for all: the group reflection is not opened
    },
    "evaluations:group_split": {"GET": PLAN_PAGE, "POST": staff()},
    "evaluations:toggle_split": post_only(PLAN_WRITE),
    "evaluations:send": post_only(PLAN_WRITE),
    "evaluations:index": get_only(LOGGED_IN),
    "evaluations:unit": get_only(
        staff({**each(REVIEWERS, 200), "other_organisation": 404})  # not a unit of theirs
    ),
    # --- surveys: the answer links are public, the results kommunledning's ---
    "surveys:answer": {"GET": everyone(200), "POST": everyone(200)},  # empty: unbound form
    "surveys:answer_invited": {"GET": everyone(200), "POST": everyone(200)},
    "surveys:thanks": get_only(everyone(302)),  # not answered from this browser: to the form
    "surveys:rounds": {"GET": REVIEWER_PAGE, "POST": REVIEWER_PAGE},
    "surveys:results": get_only(REVIEWER_PAGE),
    "surveys:export": get_only(REVIEWER_PAGE),
    # --- conversation templates: the editor is the process owner's (staff or the change
    # permission; of the cast only the superuser); a published version's empty form and
    # projector preview are for everyone logged in. Empty POSTs: the import form and the
    # draft's form are refused (400).
    "conversation_templates:list": get_only(TEMPLATE_EDITOR),
    "conversation_templates:import": post_only(staff(each(ORGANISATION_ADMINS, 400))),
    # The shared default: staff make a new version, another organisation its own copy.
    "conversation_templates:copy": post_only(staff(each(ORGANISATION_ADMINS, 302))),
    "conversation_templates:export": get_only(TEMPLATE_EDITOR),
    "conversation_templates:edit": {
        "GET": staff(OWN_DRAFT),
        "POST": staff({**OWN_DRAFT, "superuser": 400}),
    },
    "conversation_templates:delete": post_only(staff({**OWN_DRAFT, "superuser": 302})),
    "conversation_templates:blank_pdf": get_only(LOGGED_IN),
    "conversation_templates:projector_preview": get_only(LOGGED_IN),
    # --- archive ---
    "archive:list": get_only(REVIEWER_PAGE),
    # A meeting that is not finished is not in the archive: 404 for everyone logged in.
    "archive:meeting": get_only(
        staff({**each(ACCOUNTS, (404, 404, 403)), **each(REVIEWERS, (404, 404, 200))})
    ),
    # A person across finished meetings: kommunledning's search (issue 19).
    # People belong to one organisation: another's kommunledning does not find them.
    "archive:person": get_only(staff({**each(REVIEWERS, 200), "other_organisation": 404})),
    # The handlingsplan of a finished meeting (issue 19): read by those who see the meeting,
    # issued by its planners and kommunledning (an empty form: 400); not finished: 404.
    "archive:plan": {
        "GET": PLAN_READ,
        "POST": staff(
            {
                **each(ACCOUNTS, (404, 404, 403)),
                **each((*PLANNERS, "kommunledning"), (404, 404, 400)),
            }
        ),
    },
    "archive:plan_pdf": get_only(PLAN_READ),
    # A unit's återrapporteringar: kommunledning and whoever led one of its meetings (the
    # other leader's meeting is of the same unit); kommunledning notes them (empty form: 400).
    "archive:report_backs": {"GET": UNIT_FOLLOW_UP, "POST": staff(each(UNIT_LEADERS, 302))},
    "archive:report_back": {
        "GET": UNIT_FOLLOW_UP,
        "POST": staff({**each(UNIT_LEADERS, 403), **each(REVIEWERS, 400)}),
    },
    # --- actions (the follow-up board) ---
    "actions:board": get_only(BOARD),
    "actions:export_csv": get_only(BOARD),
    "actions:export_xlsx": get_only(BOARD),
    "actions:detail": {
        "GET": staff(each(ACTION, ONLY_FINISHED)),
        "POST": staff(each(ACTION, (403, 403, 400))),  # empty report: 400
    },
    "actions:attachment": get_only(staff(each(ACTION, ONLY_FINISHED))),
    # --- administration (an organisation administrator's, of their own organisation) ---
    "administration:index": get_only(staff(each(ORGANISATION_ADMINS, 200))),
    "administration:units": {
        "GET": staff(each(ORGANISATION_ADMINS, 200)),
        "POST": staff(each(ORGANISATION_ADMINS, 200)),  # empty: unbound form
    },
    # This organisation's unit and member: the other organisation's administrator gets 404.
    "administration:unit_edit": {
        "GET": staff({"superuser": 200, "other_organisation": 404}),
        "POST": staff({"superuser": 200, "other_organisation": 404}),
    },
    "administration:members": {
        "GET": staff(each(ORGANISATION_ADMINS, 200)),
        "POST": staff(each(ORGANISATION_ADMINS, 200)),
    },
    "administration:member_roles": post_only(
        staff({"superuser": 302, "other_organisation": 404})  # empty: no roles, saved
    ),
    "administration:member_remove": post_only(staff({"superuser": 302, "other_organisation": 404})),
    "administration:settings": {
        "GET": staff(each(ORGANISATION_ADMINS, 200)),
        "POST": staff(each(ORGANISATION_ADMINS, 200)),
    },
    "administration:sso": get_only(staff(each(ORGANISATION_ADMINS, 200))),
    "administration:sso_create": {
        "GET": staff(each(ORGANISATION_ADMINS, 200)),
        "POST": staff(each(ORGANISATION_ADMINS, 200)),  # empty: unbound form
    },
    "administration:sso_edit": {  # this organisation's provider
        "GET": staff({"superuser": 200, "other_organisation": 404}),
        "POST": staff({"superuser": 200, "other_organisation": 404}),  # empty: unbound form
    },
    # --- single sign-on (/sso/): the identity provider's side, the same for everyone ---
    # Starting a sign-in (a link on the login page, so GET): the matrix's OIDC provider does
    # not answer (503, a Swedish page); its SAML one needs no network (302 to the IdP).
    "openid_connect_login": {"GET": everyone(503), "POST": everyone(503)},
    # No state of a sign-in begun here: refused (400, a Swedish page) before any network.
    "openid_connect_callback": {"GET": everyone(400), "POST": everyone(400)},
    "saml_login": {"GET": everyone(302), "POST": everyone(302)},
    "saml_acs": {"GET": everyone(302), "POST": everyone(302)},  # kept, then finished
    "saml_finish_acs": {"GET": everyone(400), "POST": everyone(400)},  # no response: refused
    "saml_sls": {"GET": everyone(400), "POST": everyone(400)},  # no logout message: refused
    "saml_metadata": get_only(everyone(200)),
    "socialaccount_signup": {"GET": everyone(400), "POST": everyone(400)},
}

# --- Accounts, the idle timeout and data protection (issue 15) ---
# The permission privacy.handle_personal_data: the superuser (installation staff: everyone)
# and the other organisation's officer (its own people: this one's person is not found).
PRIVACY_OFFICER = ("superuser", "other_organisation")
OWN_PERSON = {"superuser": 200, "other_organisation": 404}
ROUTES.update(
    {
        "session_status": get_only(lambda m, s: 401 if m in NO_SESSION else 200),
        "session_keep_alive": {
            "GET": everyone(405),
            "POST": lambda m, s: 401 if m in NO_SESSION else 200,
        },
        "password_change": {"GET": LOGGED_IN, "POST": LOGGED_IN},  # empty form: 200
        "password_change_done": get_only(LOGGED_IN),
        "password_reset": {"GET": everyone(200), "POST": everyone(200)},  # empty form: 200
        "password_reset_done": get_only(everyone(200)),
        # The table's token is no reset token: the page that says the link does not work.
        "password_reset_confirm": {"GET": everyone(404), "POST": everyone(404)},
        "password_reset_complete": get_only(everyone(200)),
        # The facilitator revokes a link at any time, also once the meeting has started.
        "meetings:revoke_link": post_only(PLAN_WRITE),
        "privacy:search": get_only(staff(each(PRIVACY_OFFICER, 200))),
        "privacy:person": {
            "GET": staff(OWN_PERSON),
            "POST": staff({**OWN_PERSON, "superuser": 400}),  # empty form: nothing erased
        },
        "privacy:extract": get_only(staff(OWN_PERSON)),
        "privacy:account": {  # the permission is checked before the method
            "GET": staff(each(PRIVACY_OFFICER, 405)),
            "POST": staff({**OWN_PERSON, "superuser": 302}),
        },
    }
)

ADMIN = get_only(lambda member, status: 200 if member == "superuser" else LOGIN)

# Cells the code answered otherwise before samtal.core.policy (route, method, member,
# statuses): the old answer. A failure in one of them is a regression to the old rules.
CHANGED_BY_POLICY = {
    ("meetings:detail", "GET", "kommunledning", ("avslutad",)): "403",
    ("meetings:blank_form_pdf", "GET", "kommunledning", ("avslutad",)): "403",
    ("meetings:material", "GET", "kommunledning", ("avslutad",)): "403",
    ("a3_live:overview", "GET", "superuser", ("planerad", "pagar")): "403",
    ("a3_live:changes", "GET", "superuser", ("pagar", "avslutad")): "403",
    ("a3_live:changes", "GET", "creator_antecknare", ("pagar", "avslutad")): "403",
    ("a3_live:changes", "GET", "kommunledning", ("avslutad",)): "403",
    ("meetings:start", "POST", "superuser", STATUSES): "302 (a planned meeting started)",
    ("meetings:start", "POST", "creator_antecknare", STATUSES): "302 (a planned meeting started)",
}


def judged(name):
    return name in ROUTES or name.startswith("admin:")


def methods(name):
    return tuple((ADMIN if name.startswith("admin:") else ROUTES[name]).keys())


def expected(name, method, member, status):
    route = ADMIN if name.startswith("admin:") else ROUTES[name]
    return route[method](member, status)


def changed_by_policy(name, method, member, status):
    for (route, verb, who, statuses), before in CHANGED_BY_POLICY.items():
        if (route, verb, who) == (name, method, member) and status in statuses:
            return f"the code before samtal.core.policy answered {before}"
    return ""
