"""The partnerships app: its name, label and verbose name as declared, and the models it holds."""

from __future__ import annotations

import pytest
from django.apps import apps

from alliance.web.partnerships.apps import PartnershipsConfig
from alliance.web.partnerships.models import Diagnostic, Evaluation, Invitation, Partnership, Side

pytestmark = pytest.mark.integration


def test_app_name_label_and_verbose_name():
    config = apps.get_app_config("partnerships")

    assert isinstance(config, PartnershipsConfig)
    assert config.name == "alliance.web.partnerships"
    assert config.label == "partnerships"
    assert config.verbose_name == "Partenariats"


def test_the_declaration_itself():
    assert PartnershipsConfig.name == "alliance.web.partnerships"
    assert PartnershipsConfig.label == "partnerships"
    assert PartnershipsConfig.verbose_name == "Partenariats"


def test_models_belong_to_the_app():
    config = apps.get_app_config("partnerships")

    assert {model.__name__ for model in config.get_models()} == {
        "Diagnostic", "Partnership", "Side", "Invitation", "Evaluation", "AgreementRevision",
    }  # fmt: skip
    models = (Diagnostic, Partnership, Side, Invitation, Evaluation)
    assert {model._meta.app_label for model in models} == {"partnerships"}
