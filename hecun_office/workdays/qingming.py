"""Date of the 清明 solar term, which fixes the 清明节 holiday (T-3).

清明 is the moment the Sun's apparent ecliptic longitude reaches 15°; the holiday is the Beijing-time (UTC+8)
calendar day of that moment. We use Meeus' low-accuracy solar position (Astronomical Algorithms, ch. 25,
about 0.01° ≈ 15 minutes) rather than a table, so years beyond the chinese-calendar range need no update.
Checked against chinese_calendar.get_solar_terms for 1990–2099; the closest call before 2070 is 2009-04-04 at
about 23:35, well clear of the error margin.
"""

from __future__ import annotations

import math
from datetime import date

_QINGMING_LONGITUDE = 15.0
_J2000 = 2451545.0
# Julian Day of 0001-01-01 00:00 UT minus date.toordinal() of that day, so JD = ordinal + offset.
_ORDINAL_TO_JD = 1721424.5
_TROPICAL_YEAR = 365.2422
_BEIJING_UTC_OFFSET_DAYS = 8 / 24


def _apparent_solar_longitude(jde: float) -> float:
    t = (jde - _J2000) / 36525
    mean_longitude = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
    anomaly = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t)
    centre = (
        (1.914602 - 0.004817 * t - 0.000014 * t * t) * math.sin(anomaly)
        + (0.019993 - 0.000101 * t) * math.sin(2 * anomaly)
        + 0.000289 * math.sin(3 * anomaly)
    )
    # Nutation and aberration: turns the true geometric longitude into the apparent one used for solar terms.
    omega = math.radians(125.04 - 1934.136 * t)
    return (mean_longitude + centre - 0.00569 - 0.00478 * math.sin(omega)) % 360


def _delta_t_seconds(year: int) -> float:
    # Espenak & Meeus polynomials; a minute either way moves the result only when the term falls at midnight.
    if year < 2005:
        return 64.0
    if year < 2050:
        t = year - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t * t
    u = (year - 1820) / 100
    return -20 + 32 * u * u - 0.5628 * (2150 - year)


def qingming(year: int) -> date:
    """Beijing-time date of 清明 in ``year`` (April 4 or 5, rarely 6 or 3)."""
    jde = date(year, 4, 5).toordinal() + _ORDINAL_TO_JD
    for _ in range(8):
        # Signed distance in degrees, wrapped to [-180, 180), turned into days at the Sun's mean motion.
        gap = (_QINGMING_LONGITUDE - _apparent_solar_longitude(jde) + 180) % 360 - 180
        jde += gap * _TROPICAL_YEAR / 360
    beijing_jd = jde - _delta_t_seconds(year) / 86400 + _BEIJING_UTC_OFFSET_DAYS
    return date.fromordinal(math.floor(beijing_jd - _ORDINAL_TO_JD))
