import pytest

from strongroom.desktop.about import about_text
from tests.helpers import paths

pytestmark = pytest.mark.gui


def test_about_names_what_the_vault_protects_and_what_it_does_not(make_window):
    window = make_window()
    assert window.act_about.text() == "About Strongroom…"
    text = about_text()
    assert "What the vault protects against" in text
    assert "stolen disk" in text and "copied backup" in text
    assert "Malicious software running as you while the vault is open" in text
    assert "locks itself after 5" in text


def test_the_readme_carries_the_same_threat_model():

    from strongroom.resources import path as resource_path

    readme = (paths.REPO / "README.md").read_text(encoding="utf-8")
    assert resource_path("threat_model.md").read_text(encoding="utf-8").strip() in readme
