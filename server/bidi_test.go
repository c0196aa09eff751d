package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"megafon/outreach/campaign"
	"megafon/platform/browsertest"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
	"megafon/server"
)

// readingOrderJS finds every occurrence of a needle ("0771-11 77 00",
// "1177.se") in the text of the page, also where it spans elements (a
// diff's <del> and <ins>), inside text whose direction is right to left,
// and measures each of its characters on the screen with a DOM Range:
// in reading order, each must stand right of the one before on the same
// line, or on a line below. It returns one line per occurrence.
const readingOrderJS = `((needles) => {
  document.querySelectorAll("details").forEach(d => d.open = true);
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const nodes = [], starts = [];
  let all = "";
  for (let n; (n = walker.nextNode());) { starts.push(all.length); nodes.push(n); all += n.data; }
  const at = i => { let k = starts.length - 1; while (starts[k] > i) k--; return [nodes[k], i - starts[k]]; };
  const arabic = /[\u0600-\u06ff]/;
  const out = [];
  for (const needle of needles) {
    for (let from = all.indexOf(needle); from >= 0; from = all.indexOf(needle, from + 1)) {
      // The Arabic text around it: the nearest element that runs right to left.
      let block = at(from)[0].parentElement;
      while (block && block.tagName !== "MAIN" && getComputedStyle(block).direction !== "rtl") block = block.parentElement;
      if (!block || block.tagName === "MAIN" || !arabic.test(block.textContent)) continue;
      let prev = null, bad = "", measured = 0;
      for (let i = 0; i < needle.length; i++) {
        if (needle[i] === " ") continue;
        const [node, off] = at(from + i);
        const r = document.createRange();
        r.setStart(node, off); r.setEnd(node, off + 1);
        const box = r.getClientRects()[0];
        if (!box) continue;
        measured++;
        if (prev) {
          const sameLine = Math.abs(box.top - prev.box.top) < box.height / 2;
          if ((sameLine && box.left < prev.box.left) || (!sameLine && box.top < prev.box.top)) {
            bad = "'" + needle.slice(0, i + 1) + "': '" + needle[i] + "' at x=" + Math.round(box.left) + " stands left of '" + prev.ch + "' at x=" + Math.round(prev.box.left);
            break;
          }
        }
        prev = {box, ch: needle[i]};
      }
      if (measured > 1) out.push({Needle: needle, Where: block.tagName.toLowerCase() + ": " + block.textContent.trim().slice(0, 60), Bad: bad});
    }
  }
  return out;
})`

// An Arabic-speaking volunteer and a coordinator read a number and an
// address inside Arabic text on every page that shows handbook text or a
// campaign's questions: "0771-11 77 00" and "1177.se" read left to right,
// measured on the screen, not in the HTML (before, the call screen and the
// review page showed "00 77 11-0771" and "se.1177").
func TestNumbersAndAddressesReadInOrderInsideArabicText(t *testing.T) {
	s := webtest.New(t, db.SQLite, true, server.Modules()...)
	ctx := context.Background()
	const amina, coord = "+46701000001", "samordnare@demo.megafon.se"
	if _, err := s.App.DB.Exec(ctx, `UPDATE people SET languages = 'ar' WHERE phone = $1`, amina); err != nil {
		t.Fatal(err)
	}
	// The booking entry holds both in Arabic; the campaign shows it, and
	// a question written in Arabic holds both too.
	var booking int64
	if err := s.App.DB.QueryRow(ctx, `SELECT v.entry_id FROM handbook_versions v JOIN handbook_translations t ON t.version_id = v.id
		WHERE t.lang = 'sv' AND t.title = 'Hur bokar jag tid för vaccination?' LIMIT 1`).Scan(&booking); err != nil {
		t.Fatal(err)
	}
	// Its new version, in review, changes the Arabic too, so that the
	// diff shows Arabic.
	if _, err := s.App.DB.Exec(ctx, `UPDATE handbook_translations SET body = $2
		WHERE lang = 'ar' AND version_id = (SELECT id FROM handbook_versions WHERE entry_id = $1 AND version = 2)`,
		booking, "احجز عبر 1177.se باستخدام BankID أو Freja eID. إذا لم تكن لديك هوية إلكترونية اتصل بالرقم 0771-11 77 00 أو اذهب إلى مركز بدون موعد."); err != nil {
		t.Fatal(err)
	}
	var cs *campaign.Store
	for _, m := range s.App.Modules() {
		if c, ok := m.(*campaign.Module); ok {
			cs = c.Store()
		}
	}
	var cid int64
	if err := s.App.DB.QueryRow(ctx, `SELECT id FROM campaigns`).Scan(&cid); err != nil {
		t.Fatal(err)
	}
	c, err := cs.Get(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	d := campaign.DraftOf(c)
	d.EntryIDs = append([]int64{booking}, d.EntryIDs...)
	d.Questions = append(d.Questions, campaign.Question{Kind: campaign.Choice, Text: "هل زرت 1177.se أو اتصلت بالرقم 0771-11 77 00؟",
		Choices: []string{"نعم، 1177.se", "اتصلت بالرقم 0771-11 77 00"}})
	if err := cs.Update(ctx, cid, d); err != nil {
		t.Fatal(err)
	}

	needles := []string{"0771-11 77 00", "1177.se"}
	b := browsertest.New(t)
	b.SetViewport(phoneWidth, phoneHeight)
	// check measures the page; each of texts (the start of an Arabic text)
	// must be found holding one of the needles.
	check := func(page string, texts ...string) {
		t.Helper()
		var found []struct{ Needle, Where, Bad string }
		list, _ := json.Marshal(needles)
		b.Eval(readingOrderJS+"("+string(list)+")", &found)
		for _, f := range found {
			if f.Bad != "" {
				t.Errorf("%s: %q reads out of order in %q: %s", page, f.Needle, f.Where, f.Bad)
			}
		}
		for _, text := range texts {
			if !slices.ContainsFunc(found, func(f struct{ Needle, Where, Bad string }) bool { return strings.Contains(f.Where, text) }) {
				t.Errorf("%s: no number or address measured inside Arabic text %q", page, text)
			}
		}
		t.Logf("%s: %d numbers and addresses measured", page, len(found))
	}

	browserSignIn(t, b, s.URL, amina, demo.Passcode)
	b.Visit(s.URL + fmt.Sprintf("/campaigns/%d/call", cid))
	b.Click(".next-button")
	b.WaitVisible(".who")
	check("the call screen", "احجز عبر", "هل زرت", "اتصلت بالرقم")
	b.Visit(s.URL + "/operations/1/handbook")
	check("the callers' handbook", "احجز عبر")
	b.Visit(s.URL + fmt.Sprintf("/handbook/%d", booking))
	check("the entry, as a caller reads it", "احجز عبر")
	b.Visit(s.URL + "/operations/1/handbook/print/ar")
	check("the printed handbook", "احجز عبر")

	// The coordinator on a tab of her own, with her own cookies.
	b = browsertest.New(t)
	b.SetViewport(phoneWidth, phoneHeight)
	browserSignIn(t, b, s.URL, coord, demo.Password)
	b.Visit(s.URL + fmt.Sprintf("/handbook/%d", booking))
	check("the coordinator's review page", "احجز عبر")
	b.Visit(s.URL + fmt.Sprintf("/handbook/%d/diff?to=2", booking))
	check("the changes between versions", "احجز عبر")
	if !strings.Contains(b.Text("main"), "0771") {
		t.Error("the diff shows no Arabic number")
	}
}
