"""Organisation and Membership, moved here from the meetings app with their tables
(meetings_organisation, meetings_membership): no table is made or changed."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=["organisation", "membership"]).update(
        app_label=new
    )


def move_content_types(apps, schema_editor):
    """Permissions and admin history follow the models to their new app."""
    _relabel(apps, "meetings", "organisations")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "organisations", "meetings")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("meetings", "0007_memberships_from_existing_users"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table stays where it is; only Django's idea of which app owns it changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Organisation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, unique=True, verbose_name='namn')),
                    ('resident_term', models.CharField(default='invånaren', help_text='Till exempel ”Sundsvallsbon”, ”Malmöbon” eller ”invånaren”.', max_length=100, verbose_name='invånarbegrepp')),
                    ('kolada_municipality_id', models.CharField(blank=True, help_text='Fyra siffror, till exempel 2281 för Sundsvall. Används för nyckeltal.', max_length=4, validators=[django.core.validators.RegexValidator('^\\d{4}$', 'Ange kommunkoden med fyra siffror.')], verbose_name='kommunkod i Kolada')),
                    ('logo', models.FileField(blank=True, help_text='PNG, JPEG eller SVG; visas överst i A3:ans PDF och i handlingsplanen.', upload_to='logotyper/', verbose_name='logotyp')),
                    ('planners_may_add_units', models.BooleanField(default=False, help_text='Då kan den som planerar ett samtal lägga till en ny enhet direkt i formuläret.', verbose_name='planerare får lägga till enheter')),
                ],
                options={
                    'verbose_name': 'kommun',
                    'verbose_name_plural': 'kommuner',
                    'db_table': 'meetings_organisation',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='Membership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('is_planner', models.BooleanField(default=False, help_text='Får skapa och planera samtal.', verbose_name='planerar samtal')),
                    ('is_reviewer', models.BooleanField(default=False, help_text='Läser arkivet, uppföljningen och utvärderingarna för hela organisationen.', verbose_name='kommunledning')),
                    ('is_admin', models.BooleanField(default=False, help_text='Hanterar enheter, personer och roller, inloggning och inställningar.', verbose_name='administratör')),
                    ('roles_from_sso', models.BooleanField(default=False, verbose_name='roller från inloggningstjänsten')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tillagd')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='användare')),
                    ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='organisations.organisation', verbose_name='kommun')),
                ],
                options={
                    'verbose_name': 'medlemskap',
                    'verbose_name_plural': 'medlemskap',
                    'db_table': 'meetings_membership',
                    'ordering': ['organisation__name', 'user__first_name', 'user__last_name', 'user__username'],
                    'constraints': [models.UniqueConstraint(fields=('user', 'organisation'), name='membership_unique_user')],
                },
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
