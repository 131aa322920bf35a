"""The observatory staff's groups and what they may do in the admin.

« Analystes » look after people, organisations' public fields, the inspiring examples and the
studies; « Administrateurs » may do everything with the project's data, and lift the lockouts of
django-axes (its access attempts). People with the analyst or administrator role join their
group when saved (``User.save``).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ANALYSTS = {
    "accounts": ["view_user", "change_user"],
    "organisations": ["view_organisation", "change_organisation", "view_membership"],
    "examples": ["view_inspiringexample", "add_inspiringexample", "change_inspiringexample"],
    "results": ["view_study", "change_study", "view_studyversion"],
}
ADMINISTRATORS_APPS = ("accounts", "organisations", "examples", "results", "partnerships", "axes")


def make_groups(apps, schema_editor):
    """Create both groups with their permissions (made first: they come after migrations)."""
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission = apps.get_model("auth", "Permission")
    analysts, _ = group_model.objects.get_or_create(name="Analystes")
    for app, codenames in ANALYSTS.items():
        analysts.permissions.add(
            *permission.objects.filter(content_type__app_label=app, codename__in=codenames)
        )
    administrators, _ = group_model.objects.get_or_create(name="Administrateurs")
    administrators.permissions.add(
        *permission.objects.filter(content_type__app_label__in=ADMINISTRATORS_APPS)
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=("Analystes", "Administrateurs")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_token_lifecycle"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisations", "0001_initial"),
        ("examples", "0001_initial"),
        ("results", "0003_published_studies"),
        ("partnerships", "0001_initial"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(make_groups, remove_groups)]
