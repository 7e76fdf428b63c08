/* notify.h - telling the user about an alert: a desktop notification, or a
 * line on the terminal when no notification server is reachable.
 *
 * Each way of telling is a back-end: one const table of functions
 * (hs_notifier_ops), chosen once at start-up by hs_notify_create().
 * The text of an alert is made by the pure hs_notify_format_*() functions,
 * so every back-end says the same thing.
 *
 * Typical use by the monitor:
 *
 *	hs_notify *n;
 *	hs_notify_create(cfg.notify, &n);    // "auto", "desktop", "terminal"
 *	...
 *	hs_alert_msg msg;
 *	hs_notify_format(&msg, HS_STATE_HUNCHED, 45.0);
 *	msg.snooze_min = cfg.snooze_min;     // else the setting's default
 *	hs_notify_send(n, &msg);
 *	...
 *	hs_notify_poll(n);                   // every frame: runs actions
 *	if (hs_notify_take_snooze(n)) ...    // the user chose "Snooze"
 *	...
 *	hs_notify_withdraw(n);               // sat up, paused, locked, stop
 *	hs_notify_destroy(n);
 */
#ifndef HEADSUP_NOTIFY_H
#define HEADSUP_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "headsup/posture.h"

#define HS_NOTIFY_SUMMARY_MAX 96
#define HS_NOTIFY_ADVICE_MAX 512
#define HS_NOTIFY_URL_MAX 4200

/* One alert, ready to be shown. */
typedef struct hs_alert_msg {
	hs_state kind;   /* HS_STATE_LOOKING_DOWN or HS_STATE_HUNCHED */
	double lasted_s; /* how long the state had lasted when alerted */
	/* "Hunched for 45 seconds" */
	char summary[HS_NOTIFY_SUMMARY_MAX];
	/* one sentence of advice, plain text (back-ends add the link) */
	char advice[HS_NOTIFY_ADVICE_MAX];
	/* "file:///.../advice.html#hunched" */
	char advice_url[HS_NOTIFY_URL_MAX];
	/* how long the "Snooze" action silences alerts: hs_notify_format()
	 * puts in the default of [alerts] snooze_min */
	double snooze_min;
} hs_alert_msg;

/* A back-end.  open() makes the back-end's state (NULL is a valid state);
 * it returns HS_ENOSERVER when it has nothing to show alerts on.  send()
 * shows one alert, waiting a few seconds at most (HS_ENOSERVER when the
 * server does not answer in time).  poll() does pending work (action clicks)
 * without blocking.  take_snooze() and take_show_advice() say, once per click,
 * that the user chose "Snooze 30 min" or "Show advice" since the last
 * call.  close() releases the state (and accepts NULL). */
typedef struct hs_notifier_ops {
	const char *name; /* "libnotify", "console" */
	int (*open)(void **state);
	int (*send)(void *state, const hs_alert_msg *msg);
	void (*poll)(void *state);
	bool (*take_snooze)(void *state);
	bool (*take_show_advice)(void *state);
	void (*close)(void *state);
	/* A one-off notice that is not a posture alert ("headsup calibrated
	 * itself"): low urgency, no actions, no advice link.  NULL for a
	 * back-end without notices (the console: the monitor's own
	 * messages say the same on the terminal). */
	int (*notice)(void *state, const char *summary, const char *body);
	/* Take back the alerts this state has shown that may still be on
	 * screen (the posture they warn of has ended, or nobody is there
	 * to read them); the number taken back.  Notices stay.  Never
	 * blocks.  The console's takes back nothing (a line once printed
	 * stays); NULL means the same. */
	int (*withdraw)(void *state);
} hs_notifier_ops;

/* Desktop notifications through libnotify on the session bus.  Summary =
 * msg->summary; body = the advice and a link to the advice page (an
 * <a href> "Show advice" link where the server lists "body-hyperlinks",
 * the plain URL otherwise); app name "headsup", normal urgency; actions
 * "Show advice" (opens the page with the default HTML viewer) and "Snooze
 * 30 min" where the server lists "actions".  The last alert of each kind
 * is kept, with the unique bus name of the server that showed it: a newer
 * one of its kind replaces it, and withdraw() closes them, but only on
 * that same server (one restarted since gives out the same IDs to other
 * programs); a new server's capabilities are read again.  open() is
 * HS_ENOSERVER when the session bus or the server cannot be reached (it never
 * starts a bus, and gives up after at most 3 s to connect plus 5 s for an
 * answer). */
extern const hs_notifier_ops hs_notifier_libnotify;
/* "14:05:59 headsup: Hunched for 45 seconds - <advice> <url>" on stderr,
 * at the local time it is shown (hs_notify_format_line()). */
extern const hs_notifier_ops hs_notifier_console;

/* At most this often, "auto" without a server asks for one again; a
 * server that hangs costs each ask a few seconds. */
#define HS_NOTIFY_RETRY_S 60.0

/* The chosen back-end and its state. */
typedef struct hs_notify hs_notify;

/* Choose a back-end by mode:
 *   "auto"     libnotify; when it cannot start, the console, with one
 *              warning "no notification server on the session bus; alerts
 *              go to the terminal", and libnotify is tried again at an
 *              alert or notice, at most every HS_NOTIFY_RETRY_S: once a
 *              server answers (one started after the monitor, at log-in),
 *              alerts go to the desktop, with one warning saying so;
 *   "desktop"  libnotify or HS_ENOSERVER (logged as an error);
 *   "terminal" the console.
 * An unknown mode is HS_EINVAL.  *out is untouched on failure. */
int hs_notify_create(const char *mode, hs_notify **out);
/* The same choice between any two back-ends (tests pass fakes). */
int hs_notify_create_from(const char *mode, const hs_notifier_ops *desktop,
                          const hs_notifier_ops *terminal, hs_notify **out);
void hs_notify_destroy(hs_notify *n);
/* How often "auto" asks again for a server it did not find (tests). */
void hs_notify_set_retry(hs_notify *n, double seconds);

/* Name of the back-end in use: "libnotify" or "console" (for the tests:
 * which way an alert went). */
const char *hs_notify_backend(const hs_notify *n);

/* Show an alert.  When the desktop back-end fails to show it (the server
 * went away), the alert goes to the terminal instead, with one warning for
 * the life of n, and the desktop is tried again for the next alert.
 * Returns 0 once the alert was shown somewhere. */
int hs_notify_send(hs_notify *n, const hs_alert_msg *msg);
/* Show a notice (see hs_notifier_ops.notice) on the desktop.  It is for a
 * monitor started by the session (autostart, systemd), whose terminal
 * nobody reads, so there is no terminal fallback: the caller logs the same
 * thing.  0 when shown or when the back-end has no notices, HS_ENOSERVER
 * when the server did not take it, HS_EINVAL for missing text. */
int hs_notify_notice(hs_notify *n, const char *summary, const char *body);
/* One notice on the desktop, by a command with no notifier of its own (one
 * that did not start, or answers the menu entry); nothing when no
 * notification server answers. */
void hs_notify_notice_once(const char *summary, const char *body);
/* Take back the alerts shown through n that may still be on screen
 * (hs_notifier_ops.withdraw): the user sat up, paused the monitor, locked
 * the screen, or the monitor stops.  Notices stay.  Cheap when there is
 * nothing to take back; never blocks.  The number of alerts taken back. */
int hs_notify_withdraw(hs_notify *n);
/* Run pending action callbacks; never blocks.  Call it often (every
 * frame). */
void hs_notify_poll(hs_notify *n);
/* True once per "Snooze" the user chose since the last call. */
bool hs_notify_take_snooze(hs_notify *n);
/* True once per "Show advice" the user chose (the page is already being
 * opened; this is for the log). */
bool hs_notify_take_show_advice(hs_notify *n);

/* ---- the text of an alert (pure) ---------------------------------------- */

/* "Looking down for 2 minutes", "Hunched for 45 seconds".  HS_EINVAL for
 * a state without a label. */
int hs_notify_format_summary(hs_state kind, double lasted_s, char *buf,
                             size_t size);

/* How a notification body can carry the advice link. */
typedef enum hs_body_style {
	HS_BODY_PLAIN,     /* no markup: "advice\nurl" as is */
	HS_BODY_MARKUP,    /* markup, no links: escaped "advice\nurl" */
	HS_BODY_HYPERLINK, /* escaped advice, then <a href="url">Show advice</a>
	                    */
} hs_body_style;

/* The notification body for advice and url in a style.  In the markup
 * styles &, <, > (and " inside the href) are escaped.  HS_ERANGE when buf
 * is too small. */
int hs_notify_format_body(const char *advice, const char *url,
                          hs_body_style style, char *buf, size_t size);

/* The terminal's line for msg, shown at at_unix (wall clock, seconds since
 * the epoch), which starts with the local time, as the monitor's log lines
 * do, so that it can be read later:
 * "14:05:59 headsup: Hunched for 45 seconds - <advice> <url>\n".
 * HS_ERANGE when buf is too small, HS_EINVAL for a time that has no local
 * time. */
int hs_notify_format_line(const hs_alert_msg *msg, double at_unix, char *buf,
                          size_t size);

/* Fill msg for an alert of kind that has lasted lasted_s: the summary, the
 * advice sentence for the state (headsup/advice.h) and the link to its
 * section of the advice page (the installed path even when the page is
 * missing, which is logged at debug level).  HS_EINVAL for a state that
 * does not alert. */
int hs_notify_format(hs_alert_msg *msg, hs_state kind, double lasted_s);

#endif
