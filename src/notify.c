/* notify.c - choosing a notifier back-end, and the text of an alert.
 *
 * The back-ends live in notify_libnotify.c and notify_console.c; this file
 * picks one, falls back to the terminal when the desktop cannot show an
 * alert, and formats what every back-end says.
 */
#include "headsup/notify.h"
#include "headsup/timeparse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "headsup/advice.h"
#include "headsup/clock.h"
#include "headsup/config.h"
#include "headsup/err.h"
#include "headsup/log.h"

struct hs_notify {
	const hs_notifier_ops *ops;
	void *state;
	/* The terminal back-end, opened when a desktop send fails. */
	const hs_notifier_ops *fallback_ops;
	void *fallback_state;
	bool fallback_open;
	bool warned_send_failure;
	/* "auto" that found no server at the start: the desktop back-end,
	 * tried again at an alert or notice, at most every retry_s. */
	const hs_notifier_ops *desktop_later;
	double retry_s, retry_at;
};

static int notify_new(const hs_notifier_ops *ops, void *state,
                      const hs_notifier_ops *fallback, hs_notify **out)
{
	hs_notify *n = calloc(1, sizeof *n);
	if (!n)
		return HS_ENOMEM;
	n->ops = ops;
	n->state = state;
	n->fallback_ops = ops == fallback ? NULL : fallback;
	*out = n;
	return 0;
}

int hs_notify_create_from(const char *mode, const hs_notifier_ops *desktop,
                          const hs_notifier_ops *terminal, hs_notify **out)
{
	if (!mode || !desktop || !terminal || !out)
		return HS_EINVAL;
	bool want_desktop = strcmp(mode, "desktop") == 0;
	bool want_auto = strcmp(mode, "auto") == 0;
	if (!want_desktop && !want_auto && strcmp(mode, "terminal") != 0) {
		hs_error("unknown notification mode '%s' (expected auto, "
		         "desktop or terminal)",
		         mode);
		return HS_EINVAL;
	}

	/* A bus elsewhere stays there: not asked for again (below). */
	static const char not_local[] =
	        "the session bus address ($DBUS_SESSION_BUS_ADDRESS) is not "
	        "a socket on this machine, and alerts must not cross the "
	        "network";
	const hs_notifier_ops *ops = terminal;
	void *state = NULL;
	int rc, desktop_rc = 0;
	if (want_desktop || want_auto) {
		rc = desktop_rc = desktop->open(&state);
		if (rc == 0) {
			ops = desktop;
		} else if (want_desktop) {
			hs_error("cannot show desktop notifications: %s",
			         rc == HS_ENOSERVER ? "no notification server "
			                              "on the session bus"
			         : rc == HS_ENOTLOCAL ? not_local
			                              : hs_strerror(rc));
			return rc;
		} else if (rc == HS_ENOTLOCAL) {
			hs_warn("desktop notifications are off: %s; alerts go "
			        "to the terminal",
			        not_local);
		} else if (rc == HS_ENOSERVER) {
			hs_warn("no notification server on the session bus; "
			        "alerts go to the terminal");
		} else {
			hs_warn("cannot show desktop notifications (%s); "
			        "alerts go to the terminal",
			        hs_strerror(rc));
		}
	}
	if (ops == terminal) {
		rc = terminal->open(&state);
		if (rc < 0) {
			hs_error("cannot open the %s notifier: %s",
			         terminal->name, hs_strerror(rc));
			return rc;
		}
	}
	rc = notify_new(ops, state, terminal, out);
	if (rc < 0) {
		ops->close(state);
		return rc;
	}
	if (want_auto && ops == terminal && desktop_rc != HS_ENOTLOCAL) {
		(*out)->desktop_later = desktop;
		(*out)->retry_s = HS_NOTIFY_RETRY_S;
		(*out)->retry_at = hs_clock_steady(); /* the first alert */
	}
	hs_debug("alerts go through %s", ops->name);
	return 0;
}

void hs_notify_set_retry(hs_notify *n, double seconds)
{
	if (!n->desktop_later)
		return;
	n->retry_at += seconds - n->retry_s;
	n->retry_s = seconds;
}

/* A session's notification server often starts after a monitor started
 * with the session: under "auto", ask for it again now and then, and once
 * it answers, alerts go to the desktop, the terminal as their fallback. */
static void try_desktop_again(hs_notify *n)
{
	const double now = hs_clock_steady();
	if (!n->desktop_later || now < n->retry_at)
		return;
	n->retry_at = now + n->retry_s;
	void *state = NULL;
	if (n->desktop_later->open(&state) < 0)
		return;
	n->fallback_ops = n->ops;
	n->fallback_state = n->state;
	n->fallback_open = true;
	n->ops = n->desktop_later;
	n->state = state;
	n->desktop_later = NULL;
	hs_warn("a notification server answers now; alerts go to the desktop");
}

int hs_notify_create(const char *mode, hs_notify **out)
{
	return hs_notify_create_from(mode, &hs_notifier_libnotify,
	                             &hs_notifier_console, out);
}

void hs_notify_destroy(hs_notify *n)
{
	if (!n)
		return;
	n->ops->close(n->state);
	if (n->fallback_open)
		n->fallback_ops->close(n->fallback_state);
	free(n);
}

const char *hs_notify_backend(const hs_notify *n)
{
	return n->ops->name;
}

int hs_notify_send(hs_notify *n, const hs_alert_msg *msg)
{
	if (!n || !msg)
		return HS_EINVAL;
	try_desktop_again(n);
	int rc = n->ops->send(n->state, msg);
	if (rc == 0 || !n->fallback_ops)
		return rc;

	if (!n->warned_send_failure) {
		hs_warn("%s could not show an alert (%s); it goes to the "
		        "terminal",
		        n->ops->name, hs_strerror(rc));
		n->warned_send_failure = true;
	}
	if (!n->fallback_open) {
		int frc = n->fallback_ops->open(&n->fallback_state);
		if (frc < 0)
			return rc;
		n->fallback_open = true;
	}
	int frc = n->fallback_ops->send(n->fallback_state, msg);
	return frc == 0 ? 0 : rc;
}

int hs_notify_notice(hs_notify *n, const char *summary, const char *body)
{
	if (!n || !summary || !body)
		return HS_EINVAL;
	try_desktop_again(n);
	if (!n->ops->notice)
		return 0;
	return n->ops->notice(n->state, summary, body);
}

void hs_notify_notice_once(const char *summary, const char *body)
{
	const hs_notifier_ops *ops = &hs_notifier_libnotify;
	void *state = NULL;
	if (ops->open(&state) < 0)
		return;
	ops->notice(state, summary, body);
	ops->close(state);
}

int hs_notify_withdraw(hs_notify *n)
{
	if (!n)
		return 0;
	int taken = 0;
	if (n->ops->withdraw)
		taken += n->ops->withdraw(n->state);
	/* The back-end in use before a server turned up. */
	if (n->fallback_open && n->fallback_ops->withdraw)
		taken += n->fallback_ops->withdraw(n->fallback_state);
	return taken;
}

void hs_notify_poll(hs_notify *n)
{
	n->ops->poll(n->state);
}

bool hs_notify_take_snooze(hs_notify *n)
{
	return n->ops->take_snooze(n->state);
}

bool hs_notify_take_show_advice(hs_notify *n)
{
	return n->ops->take_show_advice(n->state);
}

/* ---- text ---------------------------------------------------------------- */

/* Append printf output at *len; HS_ERANGE when it does not fit. */
static int append(char *buf, size_t size, size_t *len, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static int append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	if (*len >= size)
		return HS_ERANGE;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= size - *len)
		return HS_ERANGE;
	*len += (size_t)w;
	return 0;
}

int hs_notify_format_summary(hs_state kind, double lasted_s, char *buf,
                             size_t size)
{
	const char *label = hs_state_label(kind);
	if (!label)
		return HS_EINVAL;
	char duration[64];
	int rc = hs_duration_format(lasted_s, duration, sizeof duration);
	if (rc < 0)
		return rc;
	size_t len = 0;
	rc = append(buf, size, &len, "%s for %s", label, duration);
	if (rc < 0 && size)
		buf[0] = '\0';
	return rc;
}

/* Append text with &, < and > (and " when in_attr) escaped for markup. */
static int append_escaped(char *buf, size_t size, size_t *len, const char *text,
                          bool in_attr)
{
	for (const char *p = text; *p; p++) {
		int rc;
		switch (*p) {
		case '&':
			rc = append(buf, size, len, "&amp;");
			break;
		case '<':
			rc = append(buf, size, len, "&lt;");
			break;
		case '>':
			rc = append(buf, size, len, "&gt;");
			break;
		case '"':
			rc = in_attr ? append(buf, size, len, "&quot;")
			             : append(buf, size, len, "\"");
			break;
		default:
			rc = append(buf, size, len, "%c", *p);
			break;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int hs_notify_format_body(const char *advice, const char *url,
                          hs_body_style style, char *buf, size_t size)
{
	if (!advice || !url || !buf || size == 0)
		return HS_EINVAL;
	size_t len = 0;
	int rc;
	buf[0] = '\0';
	switch (style) {
	case HS_BODY_PLAIN:
		rc = append(buf, size, &len, "%s\n%s", advice, url);
		break;
	case HS_BODY_MARKUP:
		rc = append_escaped(buf, size, &len, advice, false);
		if (rc == 0)
			rc = append(buf, size, &len, "\n");
		if (rc == 0)
			rc = append_escaped(buf, size, &len, url, false);
		break;
	case HS_BODY_HYPERLINK:
		rc = append_escaped(buf, size, &len, advice, false);
		if (rc == 0)
			rc = append(buf, size, &len, "\n<a href=\"");
		if (rc == 0)
			rc = append_escaped(buf, size, &len, url, true);
		if (rc == 0)
			rc = append(buf, size, &len, "\">Show advice</a>");
		break;
	default:
		rc = HS_EINVAL;
		break;
	}
	if (rc < 0)
		buf[0] = '\0';
	return rc;
}

int hs_notify_format_line(const hs_alert_msg *msg, double at_unix, char *buf,
                          size_t size)
{
	if (!msg || !buf || size == 0)
		return HS_EINVAL;
	buf[0] = '\0';
	const time_t t = (time_t)floor(at_unix);
	struct tm local;
	char stamp[16];
	/* as the monitor's log lines around it are stamped (log.h) */
	if (!isfinite(at_unix) || !localtime_r(&t, &local) ||
	    strftime(stamp, sizeof stamp, "%H:%M:%S", &local) == 0)
		return HS_EINVAL;
	size_t len = 0;
	int rc = append(buf, size, &len, "%s headsup: %s - %s %s\n", stamp,
	                msg->summary, msg->advice, msg->advice_url);
	if (rc < 0)
		buf[0] = '\0';
	return rc;
}

int hs_notify_format(hs_alert_msg *msg, hs_state kind, double lasted_s)
{
	if (!msg || (kind != HS_STATE_LOOKING_DOWN && kind != HS_STATE_HUNCHED))
		return HS_EINVAL;
	/* The setting's default; the monitor puts in the user's own. */
	hs_alert_msg m = { .kind = kind,
		           .lasted_s = lasted_s,
		           .snooze_min = hs_config_builtin.snooze_min };
	int rc = hs_notify_format_summary(kind, lasted_s, m.summary,
	                                  sizeof m.summary);
	if (rc < 0)
		return rc;
	hs_advice_topic topic = hs_advice_for_state(kind);
	const hs_advice *advice = hs_advice_get(topic);
	if (!advice)
		return HS_EINVAL;
	size_t len = 0;
	rc = append(m.advice, sizeof m.advice, &len, "%s", advice->sentence);
	if (rc < 0)
		return rc;
	rc = hs_advice_url(topic, m.advice_url, sizeof m.advice_url);
	if (rc == HS_ENOENT)
		hs_debug("advice page not found; linking to '%s' anyway",
		         m.advice_url);
	else if (rc < 0)
		return rc;
	*msg = m;
	return 0;
}
