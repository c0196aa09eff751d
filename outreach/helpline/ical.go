package helpline

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Calendar writes a volunteer's shifts as an iCalendar feed: her own
// shifts only, each with its line, languages and shared phone, and no
// resident's data. t writes the texts in her language.
func Calendar(shifts []Shift, now time.Time, t func(key string, args ...any) string, baseURL string) string {
	cal := ics.NewCalendarFor("Megafon")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(t("helpline.feed.name"))
	cal.SetXWRCalName(t("helpline.feed.name"))
	host := "megafon"
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	for _, sh := range shifts {
		ev := cal.AddEvent(fmt.Sprintf("shift-%d@%s", sh.ID, host))
		ev.SetDtStampTime(now.UTC())
		ev.SetStartAt(sh.Start.UTC())
		ev.SetEndAt(sh.End.UTC())
		ev.SetSummary(t("helpline.feed.summary", "Line", sh.LineName, "Langs", strings.Join(sh.Langs, ", ")))
		desc := t("helpline.feed.langs", "Langs", strings.Join(sh.Langs, ", "))
		if sh.PhoneLabel != "" {
			desc += "\n" + t("helpline.feed.phone", "Phone", sh.PhoneLabel, "Number", sh.PhoneNumber)
			ev.SetLocation(sh.PhoneLabel)
		}
		ev.SetDescription(desc)
		if baseURL != "" {
			ev.SetURL(baseURL + "/shifts/mine")
		}
	}
	return cal.Serialize()
}
