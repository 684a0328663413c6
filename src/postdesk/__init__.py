"""postdesk: bookings and administration for post-production facility houses."""
