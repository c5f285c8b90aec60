import uuid

from django.db import migrations, models


def first_token(apps, schema_editor):
    apps.get_model("performance", "InputsVersion").objects.create(pk=1, token=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0001_performance"),
    ]

    operations = [
        migrations.CreateModel(
            name="InputsVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32, verbose_name="입력 자료 버전")),
            ],
            options={
                "verbose_name": "평가 입력 자료 버전",
            },
        ),
        migrations.RunPython(first_token, migrations.RunPython.noop),
    ]
