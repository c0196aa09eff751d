package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"megafon/cocreation/process"
	"megafon/outreach/contact"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/db"
)

// A key is rotated in two steps and the contacts stay readable throughout;
// the backup carries the keyring along.
func TestKeysRotateThenReencrypt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "m.db")
	if _, _, err := runCmd(t, "", "keys", "rotate", "--db", dbPath); err == nil || !strings.Contains(err.Error(), "no keyring") {
		t.Fatalf("rotate without a keyring: %v", err)
	}
	if _, _, err := runCmd(t, "", "migrate", "--db", dbPath); err != nil {
		t.Fatal(err)
	}
	ring, created, err := contact.LoadKeys("", "", dbPath)
	if err != nil || !created {
		t.Fatalf("first keyring: %v %v", created, err)
	}
	d, err := db.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	as := auth.NewStore(d)
	org, err := as.CreateOrg(ctx, "Stadsdelsmammorna", auth.PartnerGroup)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := as.CreatePerson(ctx, auth.NewPerson{Name: "Hodan", Email: "hodan@example.se", SecretKind: "password"}, org.ID, auth.GroupLead, "ett långt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	lead, err := as.User(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	old := &contact.Store{DB: d, Keys: ring}
	id, err := old.Add(ctx, org.ID, contact.NewContact{Phone: "070-123 45 67", Name: "Amal", Languages: []string{"ar"},
		Basis: contact.BasisConsent, RetainUntil: time.Now().AddDate(1, 0, 0)}, lead)
	if err != nil {
		t.Fatal(err)
	}

	// A co-creation participant, under the same keyring.
	cc := &process.Store{DB: d, Keys: ring}
	procID, err := cc.CreateProcess(ctx, org.ID, process.NewProcess{Title: "Mål", Start: time.Now().AddDate(0, 0, -30).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	ptID, err := cc.AddFromPaper(ctx, procID, pid, process.Joining{Name: "Sahra", Role: "service_user", Services: []string{"addiction"}, Consent: true})
	if err != nil {
		t.Fatal(err)
	}

	out, _, err := runCmd(t, "", "keys", "rotate", "--db", dbPath)
	if err != nil || !strings.Contains(out, "restart every server") {
		t.Fatalf("rotate: %q %v", out, err)
	}
	next, _, err := contact.LoadKeys("", "", dbPath)
	if err != nil || next.CurrentKeyID() == ring.CurrentKeyID() {
		t.Fatalf("after rotate the first key is still %s (%v)", ring.CurrentKeyID(), err)
	}
	out, _, err = runCmd(t, "", "keys", "reencrypt", "--db", dbPath)
	if err != nil || !strings.HasPrefix(out, "1 contacts encrypted again") {
		t.Fatalf("reencrypt: %q %v", out, err)
	}
	var enc string
	if err := d.QueryRow(ctx, `SELECT phone_enc FROM contacts WHERE id = $1`, id).Scan(&enc); err != nil || !strings.HasPrefix(enc, "v1:"+next.CurrentKeyID()+":") {
		t.Fatalf("after reencrypt the number is under %q (%v)", enc, err)
	}
	if !strings.Contains(out, "1 co-creation participants encrypted again") {
		t.Errorf("reencrypt says nothing of participants: %q", out)
	}
	if err := d.QueryRow(ctx, `SELECT name FROM cc_participants WHERE id = $1`, ptID).Scan(&enc); err != nil || !strings.HasPrefix(enc, "v1:"+next.CurrentKeyID()+":") {
		t.Fatalf("after reencrypt the participant's name is under %q (%v)", enc, err)
	}
	if p, err := (&process.Store{DB: d, Keys: next}).Participant(ctx, ptID); err != nil || p.Name != "Sahra" || len(p.Services) != 1 {
		t.Errorf("the participant after reencrypt: %+v %v", p, err)
	}
	phone, name, err := (&contact.Store{DB: d, Keys: next}).Reveal(ctx, id, lead, &audit.Log{DB: d, Now: time.Now}, "", true)
	if err != nil || phone != "+46701234567" || name != "Amal" {
		t.Fatalf("revealed %q %q %v", phone, name, err)
	}

	backup := filepath.Join(dir, "backup.db")
	if out, _, err := runCmd(t, "", "backup", "--db", dbPath, "--to", backup); err != nil || !strings.Contains(out, "keyring copied") {
		t.Fatalf("backup: %q %v", out, err)
	}
	if b, err := os.ReadFile(backup + ".keys"); err != nil || string(b) != string(next.Marshal()) {
		t.Fatalf("the backup's keyring differs (%v)", err)
	}
}
