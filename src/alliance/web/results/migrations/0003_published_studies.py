# Every published study, in versions: the demo's rows keyed by study give way to Study,
# StudyVersion, Estimate and per-version BenchmarkReference. The old rows are dropped: they are
# published again with `alliance study publish`.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0002_benchmark_reference"),
    ]

    operations = [
        migrations.DeleteModel(name="BenchmarkReference"),
        migrations.DeleteModel(name="StudyResult"),
        migrations.CreateModel(
            name="Study",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=64, unique=True, verbose_name="code")),
                ("title_fr", models.CharField(max_length=300, verbose_name="titre (français)")),
                ("title_en", models.CharField(max_length=300, verbose_name="titre (anglais)")),
                (
                    "synthetic",
                    models.BooleanField(default=False, verbose_name="données synthétiques"),
                ),
            ],
            options={"verbose_name": "étude", "ordering": ("code",)},
        ),
        migrations.CreateModel(
            name="StudyVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(verbose_name="version")),
                ("digest", models.CharField(max_length=64)),
                (
                    "published_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="publiée le"
                    ),
                ),
                ("source", models.TextField(blank=True, verbose_name="source")),
                ("data", models.JSONField(default=dict)),
                (
                    "study",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="results.study",
                    ),
                ),
            ],
            options={
                "ordering": ("study", "number"),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("study", "number"), name="one_number_per_version"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Estimate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField()),
                ("population", models.CharField(max_length=64, verbose_name="population")),
                ("wave", models.CharField(max_length=32, verbose_name="vague")),
                ("variable", models.CharField(max_length=64, verbose_name="variable")),
                (
                    "statistic",
                    models.CharField(
                        choices=[("share", "part"), ("mean", "moyenne"), ("total", "total")],
                        max_length=8,
                    ),
                ),
                ("by", models.CharField(blank=True, max_length=64)),
                ("group", models.CharField(blank=True, max_length=64)),
                ("label_fr", models.TextField()),
                ("label_en", models.TextField()),
                ("group_label_fr", models.TextField(blank=True)),
                ("group_label_en", models.TextField(blank=True)),
                ("estimate", models.FloatField(blank=True, null=True)),
                ("se", models.FloatField(blank=True, null=True)),
                ("ci_low", models.FloatField(blank=True, null=True)),
                ("ci_high", models.FloatField(blank=True, null=True)),
                ("n", models.PositiveIntegerField()),
                ("fragile", models.BooleanField(default=False)),
                ("suppressed", models.BooleanField(default=False)),
                ("codes", models.JSONField(blank=True, default=list)),
                ("published", models.FloatField(blank=True, null=True)),
                ("published_source", models.TextField(blank=True)),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="estimates",
                        to="results.studyversion",
                    ),
                ),
            ],
            options={
                "ordering": ("version", "position"),
                "indexes": [
                    models.Index(
                        fields=["version", "population", "by"],
                        name="estimates_of_population",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="BenchmarkReference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("population", models.CharField(max_length=64, verbose_name="population")),
                ("item", models.CharField(max_length=64, verbose_name="question")),
                ("data", models.JSONField()),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="references",
                        to="results.studyversion",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "population", "item"),
                        name="one_reference_per_version_item",
                    )
                ],
            },
        ),
    ]
