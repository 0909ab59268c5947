-- Where the deep link points: https://t.me unless Vault's telegram_deep_link_base says otherwise
-- (the devstack points it at its Telegram stand-in's chat page).
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('lena');
select tests.authenticate_as('lena');
select is((select deep_link from public.create_telegram_link_code()), null,
  'no deep link while the bot''s username is not configured');

reset role;
select vault.create_secret('habits_test_bot', 'telegram_bot_username');
select tests.authenticate_as('lena');
create temporary table lena_code on commit drop as select * from public.create_telegram_link_code();
grant all on lena_code to authenticated;
select is((select deep_link from lena_code), 'https://t.me/habits_test_bot?start=' || (select code from lena_code),
  'without a configured base the link opens t.me, as in production');

reset role;
select vault.create_secret('http://127.0.0.1:54326/', 'telegram_deep_link_base');
select tests.authenticate_as('lena');
truncate lena_code;
insert into lena_code select * from public.create_telegram_link_code();
select is((select deep_link from lena_code), 'http://127.0.0.1:54326/habits_test_bot?start=' || (select code from lena_code),
  'a configured base replaces https://t.me (a trailing slash is dropped)');

select throws_ok($$ select private.telegram_deep_link('x') $$, '42501', null,
  'the helper is not callable by users');

select * from finish();
rollback;
