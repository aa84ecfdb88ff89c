from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ressources", "0001_initial")]
    operations = []
