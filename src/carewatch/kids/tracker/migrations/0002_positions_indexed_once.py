"""Position's device has no index of its own: the unique (device, fix_time) index serves
every lookup by device and the cascade from a device, and one index fewer is written with
each of tens of thousands of positions a second."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="position",
            name="device",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="positions",
                to="tracker.device",
            ),
        ),
    ]
