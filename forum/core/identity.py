"""Who a request acts as: the signed-in person every guard, policy rule and template sees."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """The signed-in person, as every guard, permission and template sees them."""

    id: int
    email: str
    display_name: str
    role: str
    agency_id: int
    agency_name: str
    agency_slug: str
    is_agency_admin: bool = False
    is_verified: bool = False
    email_confirmed: bool = False  # False until the address is confirmed: such an account reads but does not write
    two_factor: bool = False  # enrolled in two-step sign-in
    # Staff powers (role moderator/admin, agency admin) held back until two-step sign-in is on: "" when none are.
    held_powers: str = ""

    @property
    def is_moderator(self) -> bool:
        return self.role in {"moderator", "admin"}

    @property
    def is_trusted(self) -> bool:
        """Skips the new-member review queue: verified members, agency admins and moderators."""
        return self.is_verified or self.is_agency_admin or self.is_moderator

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
