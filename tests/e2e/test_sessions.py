"""Ending sessions in a real Chromium: a password change and "Log out everywhere" on the account
page log the other devices out, and cookies copied before logging out open nothing."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import LiveServer, assert_accessible

pytestmark = pytest.mark.e2e


@pytest.fixture
def new_device(browser: Any, live_server: LiveServer) -> Iterator[Callable[[], Any]]:
    """Factory: a page in a browser context of its own (its own cookies), like another device."""
    contexts: list[Any] = []

    def make() -> Any:
        contexts.append(browser.new_context(base_url=live_server.url))
        return contexts[-1].new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def log_in(page: Any, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Keep me logged in on this device").check()
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status")).to_contain_text("You are logged in.")


def sees_account(page: Any) -> bool:
    page.goto("/account")
    return not re.search(r"/auth/login", page.url)


def test_password_change_and_log_out_everywhere(new_device: Callable[[], Any],
                                                user: Callable[..., tuple[str, str]]) -> None:
    email, password = user()
    laptop, phone = new_device(), new_device()
    log_in(laptop, email, password)
    log_in(phone, email, password)

    laptop.goto("/account")
    assert_accessible(laptop)
    laptop.get_by_label("Current password").fill(password)
    laptop.get_by_label("New password", exact=True).fill("a brand new password")
    laptop.get_by_label("Repeat the new password").fill("a brand new password")
    laptop.get_by_role("button", name="Change my password").click()
    expect(laptop.get_by_role("status")).to_contain_text("Your password is changed.")
    assert sees_account(laptop)
    assert not sees_account(phone)

    log_in(phone, email, "a brand new password")
    laptop.goto("/account")
    laptop.get_by_role("button", name="Log out everywhere").click()
    expect(laptop.get_by_role("status")).to_contain_text("You are logged out on every device.")
    assert not sees_account(laptop) and not sees_account(phone)


def test_cookies_copied_before_logout_open_nothing(new_device: Callable[[], Any],
                                                   user: Callable[..., tuple[str, str]]) -> None:
    email, password = user()
    mine = new_device()
    log_in(mine, email, password)
    copied = mine.context.cookies()
    assert {c["name"] for c in copied} >= {"session", "remember_token"}
    mine.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    expect(mine.get_by_role("status")).to_contain_text("You are logged out.")

    thief = new_device()
    thief.context.add_cookies(copied)
    assert not sees_account(thief)
