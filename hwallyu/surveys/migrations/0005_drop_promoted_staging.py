from django.db import migrations

# Imports finished before this kept their staged batches (the file's rows as read, with names and phone numbers)
# after adding them to the register; the importer now deletes them in the same commit. This clears the old ones.


def drop_promoted_staging(apps, schema_editor):
    RegisterStaging = apps.get_model("surveys", "RegisterStaging")
    RegisterStaging.objects.filter(register_import__status="done").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0004_invitation_answer_in_place"),
    ]

    operations = [
        migrations.RunPython(drop_promoted_staging, migrations.RunPython.noop),
    ]
