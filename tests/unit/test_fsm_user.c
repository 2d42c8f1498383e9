/* Unit tests: the user calls OPEN, SEND, CLOSE, ABORT (RFC 9293 3.10.1 -
 * 3.10.5) and the TIME-WAIT timer (3.10.8) (core/fsm_user.c), each in
 * every state, and their hand-over to fsm_tx. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fsm.h"

#define NOW TSTAMP_MS(5)

static const enum tcp_state all_states[TCP_NSTATES] = {
	TCP_CLOSED, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED,
	TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
	TCP_TIME_WAIT,
};

/* A TCB in st as the endpoint holds it: everything known. */
static void tcb_in_state(struct tcb *t, enum tcp_state st)
{
	tcb_init(t, NULL, st, 4);
	t->iss = 1000;
	t->snd_una = 1001;
	t->snd_nxt = t->snd_max = 1501;
	t->irs = 5000;
	t->rcv_nxt = 5301;
	t->known = TCB_K_STATE | TCB_K_ISS | TCB_K_IRS | TCB_K_SND | TCB_K_RCV;
	if (st == TCP_TIME_WAIT)
		t->time_wait_until = TSTAMP_MS(240000);
}

struct expect {
	enum tcp_state from;
	int rc;
	enum tcp_state to;
	uint32_t actions; /* exactly */
};

/* call in every state of the table: return code, new state, actions, and
 * an error leaves the TCB as it was */
static void check_call(enum fsm_user_call call, const struct expect *e, size_t n)
{
	assert_int_equal(n, TCP_NSTATES);
	for (size_t i = 0; i < n; i++) {
		struct tcb t, before;
		struct fsm_out o;
		int rc;

		tcb_in_state(&t, e[i].from);
		memcpy(&before, &t, sizeof(t));
		rc = fsm_user(&t, call, NOW, &o);
		if (rc != e[i].rc || t.state != e[i].to || o.actions != e[i].actions)
			fail_msg("call %d in %s: rc %d state %s actions 0x%x, expected %d %s 0x%x",
				 call, tcp_state_name(e[i].from), rc, tcp_state_name(t.state),
				 o.actions, e[i].rc, tcp_state_name(e[i].to), e[i].actions);
		assert_int_equal(o.old_state, e[i].from);
		assert_int_equal(o.new_state, t.state);
		assert_non_null(o.rule);
		if (rc < 0)
			assert_memory_equal(&t, &before, sizeof(t));
	}
}

static void test_user_open_passive_in_every_state(void **state)
{
	static const struct expect e[] = {
		{ TCP_CLOSED, 0, TCP_LISTEN, 0 },
		{ TCP_LISTEN, FSM_ERR_EXISTS, TCP_LISTEN, 0 }, /* MUST-41 */
		{ TCP_SYN_SENT, FSM_ERR_EXISTS, TCP_SYN_SENT, 0 },
		{ TCP_SYN_RECEIVED, FSM_ERR_EXISTS, TCP_SYN_RECEIVED, 0 },
		{ TCP_ESTABLISHED, FSM_ERR_EXISTS, TCP_ESTABLISHED, 0 },
		{ TCP_FIN_WAIT_1, FSM_ERR_EXISTS, TCP_FIN_WAIT_1, 0 },
		{ TCP_FIN_WAIT_2, FSM_ERR_EXISTS, TCP_FIN_WAIT_2, 0 },
		{ TCP_CLOSE_WAIT, FSM_ERR_EXISTS, TCP_CLOSE_WAIT, 0 },
		{ TCP_CLOSING, FSM_ERR_EXISTS, TCP_CLOSING, 0 },
		{ TCP_LAST_ACK, FSM_ERR_EXISTS, TCP_LAST_ACK, 0 },
		{ TCP_TIME_WAIT, FSM_ERR_EXISTS, TCP_TIME_WAIT, 0 },
	};

	(void)state;
	check_call(FSM_OPEN_PASSIVE, e, sizeof(e) / sizeof(e[0]));
}

static void test_user_open_active_in_every_state(void **state)
{
	static const struct expect e[] = {
		{ TCP_CLOSED, 0, TCP_SYN_SENT, FSM_ACT_SYN },
		{ TCP_LISTEN, 0, TCP_SYN_SENT, FSM_ACT_SYN },
		{ TCP_SYN_SENT, FSM_ERR_EXISTS, TCP_SYN_SENT, 0 },
		{ TCP_SYN_RECEIVED, FSM_ERR_EXISTS, TCP_SYN_RECEIVED, 0 },
		{ TCP_ESTABLISHED, FSM_ERR_EXISTS, TCP_ESTABLISHED, 0 },
		{ TCP_FIN_WAIT_1, FSM_ERR_EXISTS, TCP_FIN_WAIT_1, 0 },
		{ TCP_FIN_WAIT_2, FSM_ERR_EXISTS, TCP_FIN_WAIT_2, 0 },
		{ TCP_CLOSE_WAIT, FSM_ERR_EXISTS, TCP_CLOSE_WAIT, 0 },
		{ TCP_CLOSING, FSM_ERR_EXISTS, TCP_CLOSING, 0 },
		{ TCP_LAST_ACK, FSM_ERR_EXISTS, TCP_LAST_ACK, 0 },
		{ TCP_TIME_WAIT, FSM_ERR_EXISTS, TCP_TIME_WAIT, 0 },
	};

	(void)state;
	check_call(FSM_OPEN_ACTIVE, e, sizeof(e) / sizeof(e[0]));
}

static void test_user_send_in_every_state(void **state)
{
	static const struct expect e[] = {
		{ TCP_CLOSED, FSM_ERR_NOCONN, TCP_CLOSED, 0 },
		{ TCP_LISTEN, FSM_ERR_NOREMOTE, TCP_LISTEN, 0 },
		{ TCP_SYN_SENT, 0, TCP_SYN_SENT, 0 },
		{ TCP_SYN_RECEIVED, 0, TCP_SYN_RECEIVED, 0 },
		{ TCP_ESTABLISHED, 0, TCP_ESTABLISHED, 0 },
		{ TCP_FIN_WAIT_1, FSM_ERR_CLOSING, TCP_FIN_WAIT_1, 0 },
		{ TCP_FIN_WAIT_2, FSM_ERR_CLOSING, TCP_FIN_WAIT_2, 0 },
		{ TCP_CLOSE_WAIT, 0, TCP_CLOSE_WAIT, 0 },
		{ TCP_CLOSING, FSM_ERR_CLOSING, TCP_CLOSING, 0 },
		{ TCP_LAST_ACK, FSM_ERR_CLOSING, TCP_LAST_ACK, 0 },
		{ TCP_TIME_WAIT, FSM_ERR_CLOSING, TCP_TIME_WAIT, 0 },
	};

	(void)state;
	check_call(FSM_SEND, e, sizeof(e) / sizeof(e[0]));
}

static void test_user_close_in_every_state(void **state)
{
	static const struct expect e[] = {
		{ TCP_CLOSED, FSM_ERR_NOCONN, TCP_CLOSED, 0 },
		{ TCP_LISTEN, 0, TCP_CLOSED, FSM_ACT_CLOSED },
		{ TCP_SYN_SENT, 0, TCP_CLOSED, FSM_ACT_CLOSED },
		{ TCP_SYN_RECEIVED, 0, TCP_FIN_WAIT_1, FSM_ACT_FIN },
		{ TCP_ESTABLISHED, 0, TCP_FIN_WAIT_1, FSM_ACT_FIN },
		{ TCP_FIN_WAIT_1, FSM_ERR_CLOSING, TCP_FIN_WAIT_1, 0 },
		{ TCP_FIN_WAIT_2, FSM_ERR_CLOSING, TCP_FIN_WAIT_2, 0 },
		{ TCP_CLOSE_WAIT, 0, TCP_LAST_ACK, FSM_ACT_FIN },
		{ TCP_CLOSING, FSM_ERR_CLOSING, TCP_CLOSING, 0 },
		{ TCP_LAST_ACK, FSM_ERR_CLOSING, TCP_LAST_ACK, 0 },
		{ TCP_TIME_WAIT, FSM_ERR_CLOSING, TCP_TIME_WAIT, 0 },
	};

	(void)state;
	check_call(FSM_CLOSE, e, sizeof(e) / sizeof(e[0]));
}

static void test_user_abort_in_every_state(void **state)
{
	static const struct expect e[] = {
		{ TCP_CLOSED, FSM_ERR_NOCONN, TCP_CLOSED, 0 },
		{ TCP_LISTEN, 0, TCP_CLOSED, FSM_ACT_RESET | FSM_ACT_CLOSED },
		{ TCP_SYN_SENT, 0, TCP_CLOSED, FSM_ACT_RESET | FSM_ACT_CLOSED },
		{ TCP_SYN_RECEIVED, 0, TCP_CLOSED, FSM_ACT_RST | FSM_ACT_RESET | FSM_ACT_CLOSED },
		{ TCP_ESTABLISHED, 0, TCP_CLOSED, FSM_ACT_RST | FSM_ACT_RESET | FSM_ACT_CLOSED },
		{ TCP_FIN_WAIT_1, 0, TCP_CLOSED, FSM_ACT_RST | FSM_ACT_RESET | FSM_ACT_CLOSED },
		{ TCP_FIN_WAIT_2, 0, TCP_CLOSED, FSM_ACT_RST | FSM_ACT_RESET | FSM_ACT_CLOSED },
		{ TCP_CLOSE_WAIT, 0, TCP_CLOSED, FSM_ACT_RST | FSM_ACT_RESET | FSM_ACT_CLOSED },
		{ TCP_CLOSING, 0, TCP_CLOSED, FSM_ACT_CLOSED },
		{ TCP_LAST_ACK, 0, TCP_CLOSED, FSM_ACT_CLOSED },
		{ TCP_TIME_WAIT, 0, TCP_CLOSED, FSM_ACT_CLOSED },
	};

	(void)state;
	check_call(FSM_ABORT, e, sizeof(e) / sizeof(e[0]));
}

static void test_user_open_active_sends_syn_at_iss(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_init(&t, NULL, TCP_CLOSED, 4);
	t.iss = 4242;
	assert_int_equal(fsm_user(&t, FSM_OPEN_ACTIVE, NOW, &o), 0);
	assert_int_equal(o.reply.seq, 4242);
	assert_int_equal(o.reply.ack, 0);
	assert_int_equal(o.reply.flags, WIRE_TH_SYN);
	assert_int_equal(t.snd_una, 4242);
	assert_int_equal(t.snd_nxt, 4243);
	assert_int_equal(t.snd_max, 4243);
	assert_true((t.known & (TCB_K_STATE | TCB_K_ISS | TCB_K_SND)) ==
		    (TCB_K_STATE | TCB_K_ISS | TCB_K_SND));
}

static void test_user_open_active_iss_wraps(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_init(&t, NULL, TCP_CLOSED, 4);
	t.iss = 0xffffffffu;
	assert_int_equal(fsm_user(&t, FSM_OPEN_ACTIVE, NOW, &o), 0);
	assert_int_equal(t.snd_nxt, 0);
	assert_int_equal(o.reply.seq, 0xffffffffu);
}

static void test_user_open_after_a_connection_forgets_it(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_in_state(&t, TCP_CLOSED);
	t.fin_sent = t.fin_rcvd = true;
	t.closed_how = TCB_CLOSED_TIMER;
	assert_int_equal(fsm_user(&t, FSM_OPEN_PASSIVE, NOW, &o), 0);
	assert_false(t.fin_sent || t.fin_rcvd);
	assert_int_equal(t.closed_how, TCB_CLOSED_OTHER);
	assert_int_equal(t.known, TCB_K_STATE);
}

static void test_user_close_owes_fin_at_snd_nxt(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_in_state(&t, TCP_ESTABLISHED);
	assert_int_equal(fsm_user(&t, FSM_CLOSE, NOW, &o), 0);
	assert_int_equal(o.reply.seq, 1501);
	assert_int_equal(o.reply.ack, 5301);
	assert_int_equal(o.reply.flags, WIRE_TH_FIN | WIRE_TH_ACK);
	assert_false(t.fin_sent); /* not yet sent: fsm_tx records it */
}

static void test_user_abort_owes_rst_at_snd_nxt(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_in_state(&t, TCP_CLOSE_WAIT);
	assert_int_equal(fsm_user(&t, FSM_ABORT, NOW, &o), 0);
	assert_int_equal(o.reply.seq, 1501);
	assert_int_equal(o.reply.flags, WIRE_TH_RST);
	assert_int_equal(t.closed_how, TCB_CLOSED_USER);
}

static void test_user_abort_in_time_wait_stops_timer(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_in_state(&t, TCP_TIME_WAIT);
	assert_int_equal(fsm_user(&t, FSM_ABORT, NOW, &o), 0);
	assert_int_equal(t.time_wait_until, 0);
	assert_int_equal(fsm_expiry(&t), 0);
}

static void test_user_invalid_arguments(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_in_state(&t, TCP_ESTABLISHED);
	assert_int_equal(fsm_user(NULL, FSM_SEND, NOW, &o), FSM_ERR_INVAL);
	assert_int_equal(fsm_user(&t, FSM_SEND, NOW, NULL), FSM_ERR_INVAL);
	assert_int_equal(fsm_user(&t, (enum fsm_user_call)99, NOW, &o), FSM_ERR_INVAL);
	assert_int_equal(t.state, TCP_ESTABLISHED);
	assert_int_equal(fsm_timer(NULL, NOW, &o), FSM_ERR_INVAL);
	assert_int_equal(fsm_timer(&t, NOW, NULL), FSM_ERR_INVAL);
	assert_int_equal(fsm_expiry(NULL), 0);
}

/* --- TIME-WAIT timer ------------------------------------------------------- */

static void test_timer_expiry_only_in_time_wait(void **state)
{
	(void)state;
	for (unsigned i = 0; i < TCP_NSTATES; i++) {
		struct tcb t;

		tcb_in_state(&t, all_states[i]);
		t.time_wait_until = TSTAMP_MS(240000); /* even if set, only TIME-WAIT uses it */
		assert_int_equal(fsm_expiry(&t),
				 all_states[i] == TCP_TIME_WAIT ? TSTAMP_MS(240000) : 0);
	}
}

static void test_timer_before_expiry_does_nothing(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_in_state(&t, TCP_TIME_WAIT);
	assert_int_equal(fsm_timer(&t, TSTAMP_MS(240000) - 1, &o), 0);
	assert_int_equal(t.state, TCP_TIME_WAIT);
	assert_int_equal(o.actions, 0);
	assert_int_equal(fsm_expiry(&t), TSTAMP_MS(240000));
}

static void test_timer_at_expiry_closes(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_in_state(&t, TCP_TIME_WAIT);
	assert_int_equal(fsm_timer(&t, TSTAMP_MS(240000), &o), 0);
	assert_int_equal(t.state, TCP_CLOSED);
	assert_int_equal(o.old_state, TCP_TIME_WAIT);
	assert_int_equal(o.new_state, TCP_CLOSED);
	assert_int_equal(o.actions, FSM_ACT_CLOSED);
	assert_int_equal(t.closed_how, TCB_CLOSED_TIMER);
	assert_int_equal(fsm_expiry(&t), 0);
	assert_string_equal(o.rule, "RFC9293 3.10.8 (TIME-WAIT timeout)");
}

static void test_timer_after_expiry_closes(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_in_state(&t, TCP_TIME_WAIT);
	assert_int_equal(fsm_timer(&t, TSTAMP_MS(999999), &o), 0);
	assert_int_equal(t.state, TCP_CLOSED);
	assert_int_equal(o.actions, FSM_ACT_CLOSED);
}

static void test_timer_time_wait_without_deadline_stays(void **state)
{
	struct tcb t;
	struct fsm_out o;

	(void)state;
	tcb_in_state(&t, TCP_TIME_WAIT);
	t.time_wait_until = 0; /* its start was not seen */
	assert_int_equal(fsm_timer(&t, TSTAMP_MS(999999), &o), 0);
	assert_int_equal(t.state, TCP_TIME_WAIT);
	assert_int_equal(o.actions, 0);
}

static void test_timer_other_states_do_nothing(void **state)
{
	(void)state;
	for (unsigned i = 0; i < TCP_NSTATES; i++) {
		struct tcb t;
		struct fsm_out o;

		if (all_states[i] == TCP_TIME_WAIT)
			continue;
		tcb_in_state(&t, all_states[i]);
		t.time_wait_until = TSTAMP_MS(1);
		assert_int_equal(fsm_timer(&t, TSTAMP_MS(999999), &o), 0);
		assert_int_equal(t.state, all_states[i]);
		assert_int_equal(o.actions, 0);
	}
}

/* --- the endpoint: user call, then the segment through fsm_tx ------------ */

static void test_user_active_open_then_syn_through_tx(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	tcb_init(&t, NULL, TCP_CLOSED, 4);
	t.iss = 1000;
	assert_int_equal(fsm_user(&t, FSM_OPEN_ACTIVE, NOW, &o), 0);
	memset(&s, 0, sizeof(s));
	s.seq = o.reply.seq;
	s.flags = o.reply.flags;
	s.wnd = 65535;
	s.has_mss = true;
	s.mss = 1460;
	s.csum_ok = true;
	assert_int_equal(fsm_tx(&t, &s, NOW, &o), 0);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.state, TCP_SYN_SENT);
	assert_int_equal(t.snd_nxt, 1001);
	assert_true(t.known & TCB_K_OUR_SYN);
}

static void test_user_close_then_fin_through_tx(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	tcb_in_state(&t, TCP_CLOSE_WAIT);
	assert_int_equal(fsm_user(&t, FSM_CLOSE, NOW, &o), 0);
	assert_int_equal(t.state, TCP_LAST_ACK);
	memset(&s, 0, sizeof(s));
	s.seq = o.reply.seq;
	s.ack = o.reply.ack;
	s.flags = o.reply.flags;
	s.wnd = 1000;
	s.csum_ok = true;
	assert_int_equal(fsm_tx(&t, &s, NOW, &o), 0);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.state, TCP_LAST_ACK);
	assert_true(t.fin_sent);
	assert_int_equal(t.fin_seq, 1501);
	assert_int_equal(fsm_user(&t, FSM_CLOSE, NOW, &o), FSM_ERR_CLOSING);
}

static void test_user_abort_then_rst_through_tx(void **state)
{
	struct tcb t;
	struct fsm_out o;
	struct seg s;

	(void)state;
	tcb_in_state(&t, TCP_ESTABLISHED);
	assert_int_equal(fsm_user(&t, FSM_ABORT, NOW, &o), 0);
	memset(&s, 0, sizeof(s));
	s.seq = o.reply.seq;
	s.flags = o.reply.flags;
	s.csum_ok = true;
	assert_int_equal(fsm_tx(&t, &s, NOW, &o), 0);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(t.state, TCP_CLOSED);
	assert_int_equal(fsm_user(&t, FSM_SEND, NOW, &o), FSM_ERR_NOCONN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_open_passive_in_every_state),
		cmocka_unit_test(test_user_open_active_in_every_state),
		cmocka_unit_test(test_user_send_in_every_state),
		cmocka_unit_test(test_user_close_in_every_state),
		cmocka_unit_test(test_user_abort_in_every_state),
		cmocka_unit_test(test_user_open_active_sends_syn_at_iss),
		cmocka_unit_test(test_user_open_active_iss_wraps),
		cmocka_unit_test(test_user_open_after_a_connection_forgets_it),
		cmocka_unit_test(test_user_close_owes_fin_at_snd_nxt),
		cmocka_unit_test(test_user_abort_owes_rst_at_snd_nxt),
		cmocka_unit_test(test_user_abort_in_time_wait_stops_timer),
		cmocka_unit_test(test_user_invalid_arguments),
		cmocka_unit_test(test_timer_expiry_only_in_time_wait),
		cmocka_unit_test(test_timer_before_expiry_does_nothing),
		cmocka_unit_test(test_timer_at_expiry_closes),
		cmocka_unit_test(test_timer_after_expiry_closes),
		cmocka_unit_test(test_timer_time_wait_without_deadline_stays),
		cmocka_unit_test(test_timer_other_states_do_nothing),
		cmocka_unit_test(test_user_active_open_then_syn_through_tx),
		cmocka_unit_test(test_user_close_then_fin_through_tx),
		cmocka_unit_test(test_user_abort_then_rst_through_tx),
	};

	return cmocka_run_group_tests_name("fsm_user", tests, NULL, NULL);
}
