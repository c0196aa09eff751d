package calls_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"megafon/platform/db"
	"megafon/platform/i18n"
	"megafon/platform/web/webtest"
)

// Without the help line's demo, the server's crawl reaches none of these
// pages: every one renders here in every interface language, with every
// message in the catalogue, the page in its language and direction.
func TestEveryCallPageRendersInEveryLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, db.SQLite)
	e.missed(t, "+46701112233", "ar")
	held := e.missed(t, "+46701112244", "sv")
	if _, err := e.store.Take(context.Background(), held, e.s.User(amina).ID); err != nil {
		t.Fatal(err)
	}
	call := e.answered(t, amina, "ar")
	pages := []struct {
		who, path string
		form      url.Values // POST with a problem: the form again, with it
	}{
		{amina, "/helpline/calls", nil},
		{amina, "/helpline/callbacks", nil},
		{amina, fmt.Sprintf("/helpline/callbacks/%d", held), nil},
		{amina, fmt.Sprintf("/helpline/callbacks/%d/outcome", held), url.Values{"attempt": {"0"}}},
		{amina, fmt.Sprintf("/helpline/calls/%d/log", call), nil},
		{amina, fmt.Sprintf("/helpline/calls/%d/log", call), url.Values{"key": {"0123456789abcdef0123456789abcdef"}, "q0_text": {strings.Repeat("x", 1001)}}},
		{amina, "/helpline/calls/new", nil},
		{amina, "/helpline/calls", url.Values{"minutes": {"x"}}},
		{coord, "/helpline/calls", nil},
		{coord, fmt.Sprintf("/operations/%d/helpline/calls", e.op.ID), nil},
	}
	clients := map[string]*webtest.Client{amina: e.s.As(amina), coord: e.s.As(coord)}
	for _, lang := range i18n.Codes() {
		// A minute a language: within the hold, under the reveals' limit.
		next := e.now().Add(time.Minute)
		e.clock.Store(&next)
		for _, c := range clients {
			if r := c.Post("/lang", webtest.Form("lang", lang, "next", "/")); r.Status != http.StatusSeeOther {
				t.Fatalf("switch to %s: %d", lang, r.Status)
			}
		}
		ui := i18n.UILang(lang)
		for _, p := range pages {
			var r *webtest.Response
			if p.form == nil {
				r = clients[p.who].Get(p.path)
			} else {
				r = clients[p.who].Post(p.path, p.form)
			}
			if r.Status != 200 && r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
				t.Errorf("%s %s (%s): %d", p.who, p.path, lang, r.Status)
				continue
			}
			if !strings.Contains(r.Body, `<html lang="`+ui.HTML+`" dir="`+i18n.Dir(ui.HTML)+`"`) {
				t.Errorf("%s (%s): the page is not in its language", p.path, lang)
			}
			if strings.Contains(r.Body, "calls.") && strings.Contains(webtest.Text(r.Body), "calls.") {
				t.Errorf("%s (%s): a message key shows: %.300s", p.path, lang, webtest.Text(r.Body))
			}
		}
	}
	if unknown := e.s.App.Catalogue.Unknown(); len(unknown) > 0 {
		t.Errorf("pages asked for %d missing messages: %s", len(unknown), strings.Join(unknown, ", "))
	}
	if missing := e.s.App.Catalogue.Missing(); len(missing) > 0 {
		for lang, keys := range missing {
			var ours []string
			for _, k := range keys {
				if strings.HasPrefix(k, "calls.") {
					ours = append(ours, k)
				}
			}
			if len(ours) > 0 {
				t.Errorf("%d messages missing in %s: %s", len(ours), lang, strings.Join(ours, ", "))
			}
		}
	}
}
