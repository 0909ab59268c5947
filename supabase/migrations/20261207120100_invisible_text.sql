-- =====================================================================================
-- Invisible characters are not text
-- private.trim_blank knew White_Space and a handful of zero-width characters, so a one-character
-- action or place made of LRM, a bidi control, a soft hyphen, a Hangul filler, a variation
-- selector or a tag character was accepted. Text is now trimmed at both ends of one principled
-- class: Unicode White_Space, Default_Ignorable_Code_Point (every character that renders as
-- nothing: LRM/RLM, bidi controls, soft hyphen, CGJ, ALM, Hangul fillers, invisible operators,
-- variation selectors, tags, zero-width characters, BOM) and the control characters (Cc).
-- One exception keeps emoji whole: variation selectors and tag characters that directly follow
-- a visible character at the end stay, as they are part of it ("❤️", the flag of England).
-- The SPA's schema (web/src/habits/blank-text.ts) trims the same class;
-- tests/functions/habit_text_parity_test.ts compares both over every code point.
-- =====================================================================================

create or replace function private.trim_blank(value text)
returns text
language plpgsql immutable strict parallel safe
set search_path = ''
as $$
declare
  trimmed text := regexp_replace(value,
    '^[\u0001-\u0020\u007F-\u00A0\u00AD\u034F\u061C\u115F\u1160\u1680\u17B4\u17B5\u180B-\u180F\u2000-\u200F\u2028-\u202F\u205F-\u206F\u3000\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0000-\U000E0FFF]+',
    '');
  tail text := substring(trimmed from
    '[\u0001-\u0020\u007F-\u00A0\u00AD\u034F\u061C\u115F\u1160\u1680\u17B4\u17B5\u180B-\u180F\u2000-\u200F\u2028-\u202F\u205F-\u206F\u3000\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0000-\U000E0FFF]+$');
begin
  if tail is null then
    return trimmed;
  end if;
  -- The selectors and tags that modify the last visible character are kept.
  return left(trimmed, char_length(trimmed) - char_length(tail))
    || substring(tail from '^[\u180B-\u180D\u180F\uFE00-\uFE0F\U000E0020-\U000E007F\U000E0100-\U000E01EF]*');
end
$$;
comment on function private.trim_blank(text) is
  'Text without White_Space, Default_Ignorable_Code_Point and control characters at either end (a trailing variation selector or tag of a visible character stays).';

-- Rows written before: normalised as 20261130120000 did, so that the checks hold.
update public.habits
set action = coalesce(nullif(left(private.trim_blank(action), 200), ''), '(untitled)'),
    place = coalesce(nullif(left(private.trim_blank(place), 200), ''), '(anywhere)'),
    reward = nullif(left(private.trim_blank(reward), 200), '')
where action is distinct from private.trim_blank(action)
   or place is distinct from private.trim_blank(place)
   or reward is distinct from private.trim_blank(reward);
