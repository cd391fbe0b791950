"""Pure domain rules of a service hall: no Flask, Redis or serial imports here."""
