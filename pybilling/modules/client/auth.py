"""Client credentials: login checks, password-reset tokens and email-confirmation tokens.

Tokens are random, given to the client once (by email) and stored only as their SHA-256.
A new token of a kind voids the older ones of the same client; using one consumes it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError
from pybilling.core import mail, passwords
from pybilling.core.clock import utcnow
from pybilling.core.crypto import sha256_hex
from pybilling.modules.client.models import Client, ClientEmailConfirmation, ClientLogin, ClientPasswordReset
from pybilling.modules.client.service import find_by_email

RESET_LIFETIME = timedelta(minutes=15)
WELCOME_RESET_LIFETIME = timedelta(days=7)
CONFIRMATION_LIFETIME = timedelta(days=3)
RESET_LINK_INVALID = "The link has expired or you have already reset your password."
LOGIN_FAILED = "Please check your login details."
MAX_TOKEN_LENGTH = 128


def new_token() -> str:
    return secrets.token_urlsafe(32)


# -- login ------------------------------------------------------------------------------------
def authenticate(db: Session, email: str, password: str) -> Client | None:
    """The active client with this email and password, else None; unknown emails cost a hash check too."""
    client = find_by_email(db, email) if email else None
    if client is None:
        passwords.dummy_verify()
        return None
    if not passwords.verify_password(password, client.password_hash) or client.status != "active":
        return None
    if client.password_hash and passwords.needs_rehash(client.password_hash):
        client.password_hash = passwords.hash_password(password)
    return client


def record_login(db: Session, client: Client, ip: str) -> None:
    db.add(ClientLogin(client_id=client.id, ip=ip))
    db.flush()


# -- password reset ---------------------------------------------------------------------------
def reset_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/client/reset-password-confirm/{token}"


def create_reset(db: Session, client: Client, ip: str, lifetime: timedelta = RESET_LIFETIME) -> str:
    db.execute(delete(ClientPasswordReset).where(ClientPasswordReset.client_id == client.id))
    token = new_token()
    now = utcnow()
    db.add(
        ClientPasswordReset(
            client_id=client.id, token_hash=sha256_hex(token), ip=ip, created_at=now, expires_at=now + lifetime
        )
    )
    db.flush()
    return token


def send_reset_email(db: Session, client: Client, token: str, base_url: str) -> None:
    mail.queue_template(
        db,
        "mod_client_password_reset_request",
        to_email=client.email,
        to_name=client.full_name,
        client_id=client.id,
        variables={"c": _mail_client(client), "hash": token, "reset_link": reset_link(base_url, token)},
    )


def client_for_reset(db: Session, token: str) -> Client:
    """The client whose unexpired reset token this is, else the one answer for every bad link."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise ApiError(RESET_LINK_INVALID)
    row = db.scalar(select(ClientPasswordReset).where(ClientPasswordReset.token_hash == sha256_hex(token)))
    if row is None or row.expires_at <= utcnow():
        raise ApiError(RESET_LINK_INVALID)
    client = db.get(Client, row.client_id)
    if client is None:
        raise ApiError(RESET_LINK_INVALID)
    return client


def complete_reset(db: Session, client: Client, password: str) -> None:
    client.password_hash = passwords.hash_password(password)
    db.execute(delete(ClientPasswordReset).where(ClientPasswordReset.client_id == client.id))
    db.flush()
    mail.queue_template(
        db,
        "mod_client_password_reset_information",
        to_email=client.email,
        to_name=client.full_name,
        client_id=client.id,
        variables={"c": _mail_client(client)},
    )


# -- email confirmation -----------------------------------------------------------------------
def confirmation_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/client/confirm-email/{token}"


def create_confirmation(db: Session, client: Client) -> str:
    db.execute(delete(ClientEmailConfirmation).where(ClientEmailConfirmation.client_id == client.id))
    token = new_token()
    now = utcnow()
    db.add(
        ClientEmailConfirmation(
            client_id=client.id, token_hash=sha256_hex(token), created_at=now, expires_at=now + CONFIRMATION_LIFETIME
        )
    )
    db.flush()
    return token


def send_confirmation_email(db: Session, client: Client, base_url: str) -> None:
    token = create_confirmation(db, client)
    mail.queue_template(
        db,
        "mod_client_confirm",
        to_email=client.email,
        to_name=client.full_name,
        client_id=client.id,
        variables={"c": _mail_client(client), "email_confirmation_link": confirmation_link(base_url, token)},
    )


def confirm_email(db: Session, token: str) -> Client | None:
    """Mark the email of the token's client approved and consume its tokens; None for a bad/old token."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = db.scalar(select(ClientEmailConfirmation).where(ClientEmailConfirmation.token_hash == sha256_hex(token)))
    if row is None or row.expires_at <= utcnow():
        return None
    client = db.get(Client, row.client_id)
    if client is None:
        return None
    client.email_approved = True
    db.execute(delete(ClientEmailConfirmation).where(ClientEmailConfirmation.client_id == client.id))
    db.flush()
    return client


# -- signup and welcome emails ----------------------------------------------------------------
def send_signup_email(db: Session, client: Client, base_url: str, require_confirmation: bool) -> None:
    link = confirmation_link(base_url, create_confirmation(db, client)) if require_confirmation else None
    mail.queue_template(
        db,
        "mod_client_signup",
        to_email=client.email,
        to_name=client.full_name,
        client_id=client.id,
        variables={
            "c": _mail_client(client),
            "require_email_confirmation": require_confirmation,
            "email_confirmation_link": link,
        },
    )


def send_welcome_email(db: Session, client: Client, base_url: str, ip: str) -> None:
    """A staff-made account: the email carries a link to choose a password (valid a week)."""
    token = create_reset(db, client, ip, WELCOME_RESET_LIFETIME)
    mail.queue_template(
        db,
        "mod_client_signup_admin",
        to_email=client.email,
        to_name=client.full_name,
        client_id=client.id,
        variables={"c": _mail_client(client), "password_link": reset_link(base_url, token)},
    )


def _mail_client(client: Client) -> dict[str, object]:
    return {
        "id": client.id,
        "email": client.email,
        "first_name": client.first_name or "",
        "last_name": client.last_name or "",
        "name": client.full_name,
    }
