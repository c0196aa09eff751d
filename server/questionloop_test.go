package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"megafon/platform/browsertest"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web/webtest"
	"megafon/server"
)

// waitFor waits until the page shows text, or fails.
func waitFor(t *testing.T, b *browsertest.Browser, what, text string) {
	t.Helper()
	for range 200 {
		var body string
		b.Eval(`document.readyState === "complete" ? document.body.innerText : ""`, &body)
		if strings.Contains(body, text) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	var body string
	b.Eval(`document.body.innerText`, &body)
	t.Fatalf("%s: %q not on %s\n%.1500s", what, text, b.URL(), body)
}

// The loop of issue 13 on a 390 px phone: a volunteer escalates a question
// in Arabic during a call, and the resident wants the answer by phone; the
// coordinator merges it with the same question asked by another, answers
// it, translates it into Arabic and verifies it; the volunteer is told and
// sees the answer as new in the handbook; when she presses Next she gets
// that resident back first, with the answer in Arabic at the top of the
// call screen. Every page on the way has no axe-core violations.
func TestAQuestionEscalatedInArabicComesBackAsAnAnswerAndACallback(t *testing.T) {
	s := webtest.New(t, db.SQLite, true, server.Modules()...)
	ctx := context.Background()
	const amina = "+46701000001"
	// Amina speaks Arabic only and reads Megafon in Arabic: the queue
	// gives her Arabic speakers.
	if _, err := s.App.DB.Exec(ctx, `UPDATE people SET languages = 'ar', ui_lang = 'ar' WHERE phone = $1`, amina); err != nil {
		t.Fatal(err)
	}
	vol := browsertest.New(t)
	vol.SetViewport(phoneWidth, phoneHeight)
	browserSignIn(t, vol, s.URL, amina, demo.Passcode)
	var opID int64
	if err := s.App.DB.QueryRow(ctx, `SELECT id FROM operations ORDER BY id LIMIT 1`).Scan(&opID); err != nil {
		t.Fatal(err)
	}
	// Her shift starts with the handbook, as every shift does.
	vol.Visit(fmt.Sprintf("%s/operations/%d/handbook", s.URL, opID))
	vol.WaitVisible("main h1")
	time.Sleep(1100 * time.Millisecond) // what is verified later is later by the second
	vol.Visit(s.URL + "/campaigns")
	vol.Click(".next-button")
	vol.WaitVisible(".who")
	var entry int64 // the queue entry of the resident she calls
	vol.Eval(`+location.pathname.split("/").pop()`, &entry)
	const asked = "هل يمكن لجارتي أن تتطعم إذا لم يكن لديها رقم شخصي؟"
	vol.Click(`input[name=outcome][value=completed]`)
	vol.Click(`details.asked > summary`)
	vol.SendKeys(`#f-asked_text`, asked)
	vol.Click(`input[name=escalate]`)
	vol.SendKeys(`#f-asked_summary`, "Kan grannen vaccineras utan personnummer?")
	vol.Click(`input[name=callback_ok]`)
	vol.AssertNoAxeViolations(t, "the call screen with a question")
	vol.Click(`#save`)
	waitFor(t, vol, "saved", "تم تسجيل المكالمة")

	var qid int64
	if err := s.App.DB.QueryRow(ctx, `SELECT id FROM resident_questions WHERE text = $1 AND state = 'escalated' AND callback`, asked).Scan(&qid); err != nil {
		t.Fatalf("the escalated question: %v", err)
	}
	var other int64 // the same question, asked by another and escalated
	if err := s.App.DB.QueryRow(ctx, `SELECT id FROM resident_questions WHERE operation_id = $1 AND state = 'escalated' AND id <> $2 ORDER BY id LIMIT 1`, opID, qid).Scan(&other); err != nil {
		t.Fatalf("another escalated question: %v", err)
	}

	city := browsertest.New(t)
	city.SetViewport(phoneWidth, phoneHeight)
	browserSignIn(t, city, s.URL, "samordnare@demo.megafon.se", demo.Password)
	city.Visit(fmt.Sprintf("%s/operations/%d/questions", s.URL, opID))
	waitFor(t, city, "triage", asked)
	city.AssertNoAxeViolations(t, "the triage page")
	city.Click(fmt.Sprintf(`a[href="/questions/%d"]`, qid))
	waitFor(t, city, "the question", "Kan grannen vaccineras utan personnummer?")
	city.AssertNoAxeViolations(t, "the question page")
	city.Click(fmt.Sprintf(`input[name=from][value="%d"]`, other))
	city.Submit(`form[action$="/merge"] button`)
	waitFor(t, city, "merged", "Frågorna är sammanslagna")
	city.SetValue(`#f-body`, "Ja. Vaccinet är gratis för alla som bor i Sverige, också utan personnummer. Ring 0771-11 77 00.")
	city.Submit(`form[action$="/answer"] input[value=new] ~ p.actions button`)
	waitFor(t, city, "the answer's draft", "Lägg till översättningar")
	// Translate it into Arabic in the empty language slot, save, submit
	// and verify.
	var slot string
	city.Eval(`[...document.querySelectorAll("input[name^=lang_]")].find(i => i.value === "").name.slice(5)`, &slot)
	city.SendKeys("#f-lang_"+slot, "ar")
	city.SendKeys("#f-title_"+slot, "هل يمكن التطعيم بدون رقم شخصي؟")
	city.SendKeys("#f-body_"+slot, "نعم. اللقاح مجاني لكل من يعيش في السويد، حتى بدون رقم شخصي. اتصل على 0771-11 77 00.")
	city.Submit(`form[method=post] p.actions button`)
	city.WaitVisible(`form:has(input[value=submit]) button`)
	city.Submit(`form:has(input[value=submit]) button`)
	city.WaitVisible(`form:has(input[value=verify]) button`)
	city.Submit(`form:has(input[value=verify]) button`)
	deadline := time.Now().Add(20 * time.Second)
	var state string
	for time.Now().Before(deadline) {
		s.App.DB.QueryRow(ctx, `SELECT state FROM resident_questions WHERE id = $1`, qid).Scan(&state)
		if state == "answered" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if state != "answered" {
		t.Fatalf("the question is %s after verifying its answer", state)
	}

	// The volunteer is told, and sees it as new in the handbook.
	vol.Visit(s.URL + "/notifications")
	waitFor(t, vol, "notified", "هل يمكن التطعيم بدون رقم شخصي؟")
	vol.Visit(fmt.Sprintf("%s/operations/%d/handbook", s.URL, opID))
	var isNew bool
	vol.Eval(`[...document.querySelectorAll("summary")].some(s => s.innerText.includes("هل يمكن التطعيم بدون رقم شخصي؟") && s.querySelector(".badge"))`, &isNew)
	if !isNew {
		t.Error("the answer is not marked new in her handbook")
	}
	// Next: the resident who asked, first, with the answer in Arabic on top.
	vol.Visit(s.URL + "/campaigns")
	vol.Click(".next-button")
	vol.WaitVisible(".who")
	var again int64
	vol.Eval(`+location.pathname.split("/").pop()`, &again)
	if again != entry {
		t.Fatalf("Next gave queue entry %d, want the resident who asked (%d)", again, entry)
	}
	var top, lang string
	vol.Eval(`document.querySelector("main section.card").className`, &top)
	vol.Eval(`document.querySelector(".answer-callback [lang]").lang`, &lang)
	body := vol.Text(".answer-callback")
	if !strings.Contains(top, "answer-callback") || lang != "ar" || !strings.Contains(body, "اللقاح مجاني") {
		t.Fatalf("the call screen's first card is %q, the answer in %q:\n%s", top, lang, body)
	}
	vol.AssertNoAxeViolations(t, "the call screen with the answer")
	shot(t, vol, "callback-answer-ar")
}
