"""What each role may see of notifications (core/visibility.Policy). A notification is
read only by its recipient, whole: its text was written for them (a client's own
work, or the facility's business for its staff), so no field is hidden from its reader;
the audience was decided when it was written (audience.py and kinds.Kind.internal)."""

from postdesk.core.visibility import Policy

NOTIFICATION = Policy("notifications.Notification", {})
PREFERENCE = Policy("notifications.Preference", {})
