"""The observatory's administrators name coordinators and read the self-assessments' history.

« Administrateurs » get every permission of this app (as for the others, accounts' migration
0003); analysts read the coordinators, so they know whom to ask about a territory.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    """Give the staff groups this app's permissions (made first: they come after migrations)."""
    config = apps.get_app_config("territories")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission = apps.get_model("auth", "Permission")
    mine = permission.objects.filter(content_type__app_label="territories")
    administrators, _ = group_model.objects.get_or_create(name="Administrateurs")
    administrators.permissions.add(*mine)
    analysts, _ = group_model.objects.get_or_create(name="Analystes")
    analysts.permissions.add(*mine.filter(codename="view_coordinator"))


def revoke(apps, schema_editor):
    permission = apps.get_model("auth", "Permission")
    mine = permission.objects.filter(content_type__app_label="territories")
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=("Analystes", "Administrateurs")
    ):
        group.permissions.remove(*mine)


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0001_initial"),
        ("accounts", "0003_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
