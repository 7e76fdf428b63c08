/* report_json.c - the report as one JSON object with stable keys (see the
 * README for what each key means). */
#include "headsup/report.h"

#include "headsup/err.h"

#include <math.h>

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* A number, or null when unknown (negative). */
static void number_or_null(FILE *out, double v, int decimals)
{
	if (v < 0 || !isfinite(v))
		fputs("null", out);
	else
		fprintf(out, "%.*f", decimals, v);
}

static void states(FILE *out, const double s[HS_STATE_COUNT])
{
	fputc('{', out);
	for (int i = 0; i < HS_STATE_COUNT; i++)
		fprintf(out, "%s\"%s\": %.1f", i ? ", " : "",
		        hs_state_name((hs_state)i), s[i]);
	fputc('}', out);
}

static void date_string(FILE *out, hs_date d)
{
	char buf[16];
	hs_date_format(d, buf, sizeof buf);
	json_string(out, buf);
}

static void stretch(FILE *out, const hs_report_stretch *s)
{
	if (s->duration_s <= 0) {
		fputs("null", out);
		return;
	}
	char iso[40];
	hs_report_format_iso(s->start, iso, sizeof iso);
	fputs("{\"start\": ", out);
	json_string(out, iso);
	fprintf(out, ", \"duration_s\": %.1f}", s->duration_s);
}

static const char *topic_id(hs_advice_topic t)
{
	const hs_advice *a = hs_advice_get(t);
	return a ? a->id : "";
}

int hs_report_write_json(const hs_report *r, FILE *out)
{
	fputs("{\"date\": ", out);
	date_string(out, r->last);
	fputs(", \"first_date\": ", out);
	date_string(out, r->first);
	fprintf(out, ", \"days\": %d, \"no_data\": %s", r->days,
	        r->no_data ? "true" : "false");
	fprintf(out, ",\n \"monitored_s\": %.1f, \"present_s\": %.1f",
	        r->monitored_s, r->present_s);
	fputs(", \"share_upright\": ", out);
	number_or_null(out, r->share_upright, 4);
	fputs(",\n \"states\": ", out);
	states(out, r->state_s);

	fputs(",\n \"alerts\": [", out);
	for (size_t i = 0; i < r->n_alerts; i++) {
		const hs_report_alert *a = &r->alerts[i];
		char iso[40];
		hs_report_format_iso(a->t, iso, sizeof iso);
		fputs(i ? ",\n  {\"time\": " : "\n  {\"time\": ", out);
		json_string(out, iso);
		fprintf(out,
		        ", \"kind\": \"%s\", \"after_s\": %.1f, \"advice\": ",
		        hs_state_name(a->kind), a->after_s);
		json_string(out, topic_id(a->topic));
		fputs(", \"advice_url\": ", out);
		json_string(out, r->advice_url[a->topic]);
		fputc('}', out);
	}
	fputs("],\n \"alerts_by_kind\": {", out);
	fprintf(out, "\"looking_down\": %d, \"hunched\": %d}",
	        r->alerts_by_kind[HS_STATE_LOOKING_DOWN],
	        r->alerts_by_kind[HS_STATE_HUNCHED]);

	fputs(",\n \"longest_upright\": ", out);
	stretch(out, &r->longest_upright);
	fputs(", \"longest_bad\": ", out);
	stretch(out, &r->longest_bad);
	fputs(",\n \"worst_hour\": ", out);
	if (r->worst_hour < 0) {
		fputs("null", out);
	} else {
		const double *h = r->hours[r->worst_hour];
		fprintf(out, "{\"hour\": %d, \"bad_s\": %.1f}", r->worst_hour,
		        h[HS_STATE_LOOKING_DOWN] + h[HS_STATE_HUNCHED]);
	}

	fputs(",\n \"hours\": [", out);
	for (int h = 0; h < 24; h++) {
		fprintf(out,
		        "%s{\"hour\": %d, \"states\": ", h ? ",\n  " : "\n  ",
		        h);
		states(out, r->hours[h]);
		fputc('}', out);
	}
	fputs("],\n \"neck_load_kg\": ", out);
	number_or_null(out, r->neck_load_kg, 2);
	fputs(", \"mean_pitch_deg\": ", out);
	number_or_null(out, r->mean_pitch_deg, 2);
	fputs(", \"neck_load_note\": \"estimate after Hansraj 2014 from the "
	      "head's tilt only, not from hunching; not a diagnosis\"",
	      out);

	fprintf(out,
	        ",\n \"previous_7_days\": {\"monitored_s\": %.1f, "
	        "\"days_with_data\": %d, \"share_upright\": ",
	        r->prev_monitored_s, r->prev_days_with_data);
	number_or_null(out, r->prev_share_upright, 4);
	fputs(", \"change_points\": ", out);
	if (r->share_upright >= 0 && r->prev_share_upright >= 0)
		fprintf(out, "%.1f",
		        100 * (r->share_upright - r->prev_share_upright));
	else
		fputs("null", out);
	fputc('}', out);

	fputs(",\n \"daily\": [", out);
	for (size_t i = 0; i < r->n_daily; i++) {
		const hs_report_day *d = &r->daily[i];
		fputs(i ? ",\n  {\"date\": " : "\n  {\"date\": ", out);
		date_string(out, d->date);
		fprintf(out, ", \"monitored_s\": %.1f, \"share_upright\": ",
		        d->monitored_s);
		number_or_null(out, d->share_upright, 4);
		fputs(", \"states\": ", out);
		states(out, d->state_s);
		fputc('}', out);
	}
	fputs("],\n \"advice\": {\"topic\": ", out);
	json_string(out, topic_id(r->advice));
	const hs_advice *adv = hs_advice_get(r->advice);
	fputs(", \"title\": ", out);
	json_string(out, adv ? adv->title : "");
	fputs(", \"url\": ", out);
	json_string(out, r->advice_url[r->advice]);
	fputs("}}\n", out);
	return ferror(out) ? HS_EIO : 0;
}
