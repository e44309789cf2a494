"""The password rule: 12 characters, not a common password, not one's own name or address."""

from __future__ import annotations

from forum.accounts.passwords import MIN_PASSWORD_LENGTH, password_problem


def test_length_is_the_first_rule() -> None:
    assert MIN_PASSWORD_LENGTH == 12
    assert "minimal 12" in (password_problem("a1b2c3d4e5f") or "")
    assert password_problem("tiga-kata-acak") is None
    assert password_problem(None) is not None and password_problem(12345678901234) is not None
    assert "terlalu panjang" in (password_problem("x" * 1025) or "")


def test_common_passwords_are_refused_whatever_their_case() -> None:
    for common in ("q1w2e3r4t5y6", "123456789012", "Bismillah123", "QWERTYUIOP12", "aaaaaaaaaaaa",
                   "abababababab", "passwordpassword", "sayang2024!!", "dragon123456", "qwertyuiopas",
                   "abcdefghijkl", "lkjhgfdsapoiu", "sinergi-demo-2026", "Sinergi.Kolaboratif"):
        assert "sering ditebak" in (password_problem(common) or ""), common


def test_a_password_may_not_be_ones_own_name_or_address() -> None:
    assert "email atau nama" in (password_problem("siti.rahma@dinkes.go.id", email="siti.rahma@dinkes.go.id") or "")
    assert "email atau nama" in (password_problem("siti.rahma.bantul", email="siti.rahma.bantul@gmail.com") or "")
    assert "email atau nama" in (password_problem("Siti Rahmawati", display_name="Siti  Rahmawati") or "")
    assert password_problem("siti-suka-kopi-tubruk", email="siti@dinkes.go.id", display_name="Siti") is None
