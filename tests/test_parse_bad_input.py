"""A file that is not a newsletter issue: one line saying what was found instead, exit 1, and
nothing written."""

from __future__ import annotations

import pytest

from .conftest import run_cli

LOGIN = ('<html><head><title>Sign in</title></head><body><form action="/login"><h1>Sign in to continue</h1>'
         '<label>Email</label><input name="e"><label>Password</label><input type="password" name="p">'
         '<button>Log in</button></form><p>Forgot your password? <a href="/reset">Reset it</a></p></body></html>')
PAYWALL = ('<html><head><title>Abonnez-vous</title></head><body><h1>Cet article est réservé aux abonnés</h1>'
           '<p>Pour lire la suite, connectez-vous ou abonnez-vous.</p><p><a href="/connexion">Se connecter</a></p>'
           '</body></html>')


@pytest.mark.parametrize("name,data,found", [
    ("issue.pdf.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)),
     "a PDF document"),
    ("issue.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "a PNG image"),
    ("issue.htm", b"<!DOCTYPE html><html><head><title></title></head><body><div> </div></body></html>", "an empty page"),
    ("login.html", LOGIN.encode(), "a sign-in form"),
    ("paywall.html", PAYWALL.encode(), "subscribers-only page"),
])
def test_not_a_newsletter_gets_one_line_saying_what_it_is(tmp_path, name, data, found):
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "site"
    proc = run_cli("build", path, "--engine", "espeak", "--out", out)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and found in lines[0] and name in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    written = [p for p in out.rglob("*") if p.is_file() and ".audio-edition" not in p.parts] if out.exists() else []
    assert written == []


def test_an_issue_that_mentions_logging_in_is_still_read(tmp_path):
    story = "<p>" + " ".join(["Les banques renforcent la connexion sécurisée de leurs clients."] * 12) + "</p>"
    path = tmp_path / "issue.html"
    path.write_text(f'<html lang="fr"><body><h2>Se connecter sans mot de passe</h2>{story}'
                    f'<h2>Un second sujet</h2>{story}</body></html>', encoding="utf-8")
    proc = run_cli("script", path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
