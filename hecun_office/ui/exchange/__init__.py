"""报送与同步 (S-2, S-3, S-5..S-7, U-3): packets to and from the bureau, the watched inbox, keys and enrolment."""
