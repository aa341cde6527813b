"""M-7: masks for names, phone and ID numbers — examples, then properties over arbitrary input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hecun_office.domain.masking import mask_id_no, mask_name, mask_phone


@pytest.mark.parametrize(("name", "masked"), [
    ("张三", "张*"), ("欧阳娜娜", "欧***"), ("王晓燕", "王**"), ("张", "*"), ("", ""), ("张*", "张*"),
])
def test_names_keep_the_first_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"),
    ("138 1234 5678", "138 **** 5678"),
    ("+86 13812345678", "+86 138****5678"),
    ("0570-1234567", "0570-***4567"),
    ("021-12345678", "021-****5678"),
    ("05701234567", "*******4567"),  # no separator: where the area code ends is unknown
    ("1234567", "***4567"),
    ("12345", "****5"),
    ("", ""),
])
def test_phones_keep_the_last_four_digits(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(("id_no", "masked"), [
    ("330881199001011234", "330881********1234"),
    ("33088119900101123X", "330881********123X"),
    ("330881900101123", "330881*****1123"),  # the old 15-digit number
    ("E12345678", "E1*****78"),  # a passport
    ("", ""),
])
def test_id_numbers_keep_the_region_and_the_last_four(id_no: str, masked: str) -> None:
    assert mask_id_no(id_no) == masked


MASKS = [mask_name, mask_phone, mask_id_no]
# Anything a clerk could type, without the mask character itself (which masking may leave in place).
typed = st.text(alphabet=st.characters(blacklist_characters="*", blacklist_categories=("Cs",)), max_size=30)
phones = st.from_regex(r"\A(\+86 ?)?1[3-9]\d{9}\Z|\A0\d{2,3}-\d{7,8}\Z")


@pytest.mark.parametrize("mask", MASKS)
@settings(database=None)
@given(value=typed)
def test_length_is_kept_and_masking_twice_changes_nothing(mask, value: str) -> None:
    once = mask(value)
    assert len(once) == len(value)
    assert mask(once) == once


@pytest.mark.parametrize("mask", MASKS)
@settings(database=None)
@given(value=typed)
def test_the_whole_original_never_shows(mask, value: str) -> None:
    if sum(ch.isalnum() for ch in value) > 2 or (mask is mask_name and len(value) > 1):
        assert value not in mask(value)
    assert all(a == b or b == "*" for a, b in zip(value, mask(value), strict=True))  # only ever replaced by *


@settings(database=None)
@given(phone=phones)
def test_mobiles_and_landlines_hide_three_digits_or_more_but_not_the_last_four(phone: str) -> None:
    masked = mask_phone(phone)
    assert masked.endswith(phone[-4:])
    assert masked.count("*") >= 3
    assert masked[:3] == phone[:3]  # the mobile prefix, the area code or +86 stays
