-- Invisible characters are not text: an action, place or reward made only of White_Space,
-- Default_Ignorable_Code_Point or control characters is refused with its length rule, while
-- emoji keep their variation selectors and tags.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('ivan');
select tests.link_telegram('ivan', 17101);
select tests.authenticate_as('ivan');

select throws_like(format($$ insert into public.habits (action, place, time, duration_seconds) values (%L, 'desk', '07:00', 60) $$, chr(cp)),
  '%"habits_action_length"%', format('U+%s (%s) alone is not an action', to_hex(cp), label))
from (values (x'200E'::int, 'LRM'), (x'200F'::int, 'RLM'),
             (x'202A'::int, 'LRE'), (x'202B'::int, 'RLE'), (x'202C'::int, 'PDF'), (x'202D'::int, 'LRO'), (x'202E'::int, 'RLO'),
             (x'2066'::int, 'LRI'), (x'2067'::int, 'RLI'), (x'2068'::int, 'FSI'), (x'2069'::int, 'PDI'),
             (x'00AD'::int, 'soft hyphen'), (x'034F'::int, 'combining grapheme joiner'), (x'061C'::int, 'Arabic letter mark'),
             (x'115F'::int, 'Hangul choseong filler'), (x'1160'::int, 'Hangul jungseong filler'),
             (x'3164'::int, 'Hangul filler'), (x'FFA0'::int, 'halfwidth Hangul filler'),
             (x'2061'::int, 'function application'), (x'2062'::int, 'invisible times'),
             (x'2063'::int, 'invisible separator'), (x'2064'::int, 'invisible plus'),
             (x'FE00'::int, 'variation selector 1'), (x'FE0F'::int, 'variation selector 16'),
             (x'E0100'::int, 'variation selector 17'), (x'E01EF'::int, 'variation selector 256'),
             (x'E0001'::int, 'language tag'), (x'E0041'::int, 'tag A'), (x'E007F'::int, 'cancel tag'),
             (x'0001'::int, 'a control character')) as cases(cp, label);

select throws_like($$ insert into public.habits (action, place, time, duration_seconds) values ('read', E'\u200e\u202e\u2066\u00ad', '07:00', 60) $$,
  '%"habits_place_length"%', 'a place of several invisible characters is refused with habits_place_length');
select throws_like($$ insert into public.habits (action, place, time, duration_seconds, reward) values ('read', 'desk', '07:00', 60, E'\u3164\ufe0f') $$,
  '%"habits_reward_length"%', 'a reward of a Hangul filler and a variation selector is refused with habits_reward_length');

select lives_ok($$ insert into public.habits (action, place, time, duration_seconds, reward)
    values (E'\u200f read \u2069', E'\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F ', '07:00', 60, E'\u2764\ufe0f\u00ad') $$,
  'text with invisible characters around visible ones is accepted');
select results_eq($$ select action, place, reward from public.habits $$,
  $$ values ('read', E'\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F', E'\u2764\ufe0f') $$,
  'the invisible characters at the ends are trimmed; an emoji keeps its variation selector and tags');

select * from finish();
rollback;
