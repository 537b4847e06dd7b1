"""The four default staff roles (kitab.patrons.roles.DEFAULT_ROLES), as they were when this migration was written."""

from django.db import migrations

ROLES = {
    "desk": ("Circulation desk", ["circulation.checkout", "circulation.override.max_loans_reached",
                                  "patrons.view", "patrons.edit", "fines.manage"]),
    "cataloguer": ("Cataloguer", ["catalogue.edit", "patrons.view"]),
    "manager": ("Branch manager", ["circulation.checkout", "circulation.override", "patrons.view", "patrons.edit",
                                   "patrons.merge", "patrons.import", "fines.manage", "catalogue.edit",
                                   "rules.edit"]),
    "admin": ("System administrator", ["system.admin"]),
}


def create_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    role = apps.get_model("patrons", "StaffRole")
    for code, (name, permissions) in ROLES.items():
        role.objects.get_or_create(code=code, defaults={"name": name, "permissions": permissions})


class Migration(migrations.Migration):
    dependencies = [("patrons", "0002_staff_roles")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
