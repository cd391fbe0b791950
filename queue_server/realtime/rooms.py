"""Socket.IO room names: public displays and staff screens of a hall get differently shaped events."""


def public(hall: str) -> str:
    return f"hall:{hall}"


def staff(hall: str) -> str:
    return f"hall:{hall}:staff"
