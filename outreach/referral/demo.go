package referral

import (
	"context"
	"fmt"
	"time"

	"megafon/outreach/operation"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// demoReferral is one referral of the demo, filed ago before the start.
type demoReferral struct {
	by       string
	ago      time.Duration
	category Category
	urgency  Urgency
	need     string
	contact  string
	moves    []State
	outcome  Outcome
}

// SeedDemo routes the categories to two administrations (money, food and
// housing to the Labour Market Administration, which pays financial
// assistance; health, violence and other to City Management, which leads
// the crisis work) and files referrals in the demo operation, in each
// state for each of the two, one urgent one waiting past its deadline so
// that the operation's level suggestion shows it. Times are counted back
// from the start, so the deadlines are live.
func (m *Module) SeedDemo(ctx context.Context, app *web.App, city *demo.City) error {
	ops, err := m.ops.All(ctx)
	if err != nil {
		return err
	}
	var op operation.Operation
	for _, o := range ops {
		if o.Name == operation.DemoName {
			op = o
		}
	}
	if op.ID == 0 {
		return fmt.Errorf("demo referrals: no demo operation %q", operation.DemoName)
	}
	admin := city.People["admin@demo.megafon.se"]
	labour, cityMgmt := city.Orgs[demo.LabourMarket].ID, city.Orgs[demo.CityManagement].ID
	if err := m.store.SetRoutes(ctx, admin, map[Category]int64{
		Money: labour, Food: labour, Housing: labour, Health: cityMgmt, Violence: cityMgmt, Other: cityMgmt,
	}, "", nil); err != nil {
		return fmt.Errorf("demo referral routes: %w", err)
	}
	start := app.Now().UTC().Truncate(time.Second)
	clock := start
	s := &Store{DB: app.DB, Keys: m.Keys, Now: func() time.Time { return clock }}
	coords := map[int64]string{labour: "samordnare@demo.megafon.se", cityMgmt: "slf@demo.megafon.se"}
	group := city.Orgs[demo.DistrictMothers].ID
	for i, d := range []demoReferral{
		{by: "+46701000001", ago: 6 * time.Hour, category: Food, urgency: Urgent, need: "Ensamstående mamma med tre barn, ingen mat hemma efter att lönen uteblivit. Talar arabiska.", contact: "Ring efter kl. 16, arabiska"},
		{by: "+46701000002", ago: 30 * time.Hour, category: Money, urgency: Soon, need: "Vet inte hur man söker ekonomiskt bistånd och har fått ett brev om hyresskuld.", moves: []State{Acknowledged}},
		{by: "+46701000001", ago: 5 * 24 * time.Hour, category: Housing, urgency: Normal, need: "Familj på sju personer i en tvåa; hyresvärden hotar med uppsägning.", contact: "Nås via Stadsdelsmammorna", moves: []State{Acknowledged, InProgress}},
		{by: "+46701000002", ago: 40 * 24 * time.Hour, category: Money, urgency: Normal, need: "Behövde hjälp att överklaga ett beslut om bistånd.", contact: "Ring förmiddag", moves: []State{Acknowledged, InProgress, Closed}, outcome: Helped},
		{by: "+46701000001", ago: 5 * time.Hour, category: Health, urgency: Urgent, need: "Äldre man med feber och andningsbesvär som inte vågar ringa 1177; dottern tolkar.", contact: "Dottern svarar, somaliska eller svenska"},
		{by: "+46701000001", ago: 20 * time.Hour, category: Violence, urgency: Urgent, need: "Kvinna berättar om hot i hemmet och vill prata med någon i lugn och ro.", moves: []State{Acknowledged}},
		{by: "+46701000002", ago: 4 * 24 * time.Hour, category: Other, urgency: Soon, need: "Behöver hjälp att förstå ett brev från Försäkringskassan; läser inte svenska.", moves: []State{Acknowledged, InProgress}},
		{by: "+46701000001", ago: 10 * 24 * time.Hour, category: Health, urgency: Soon, need: "Ville veta var man vaccinerar sig utan tidsbokning.", contact: "Sms på arabiska", moves: []State{Acknowledged, Closed}, outcome: ReferredOn},
	} {
		clock = start.Add(-d.ago)
		f := Filing{Category: d.category, Urgency: d.urgency, Need: d.need, Consent: d.contact != "", Contact: d.contact, Key: fmt.Sprintf("%032x", i+1)}
		if _, err := f.Clean(); err != nil {
			return fmt.Errorf("demo referral %d: %w", i, err)
		}
		id, err := s.File(ctx, city.People[d.by], op.ID, group, f)
		if err != nil {
			return fmt.Errorf("demo referral %d: %w", i, err)
		}
		routes, err := s.Routes(ctx)
		if err != nil {
			return err
		}
		var org int64
		for _, r := range routes {
			if r.Category == d.category {
				org = r.OrgID
			}
		}
		for j, to := range d.moves {
			clock = clock.Add(time.Duration(j+1) * time.Hour)
			if err := s.Move(ctx, id, city.People[coords[org]], to, d.outcome, nil, ""); err != nil {
				return fmt.Errorf("demo referral %d: move to %s: %w", i, to, err)
			}
		}
	}
	// The contacts of referrals closed long enough ago are deleted, as the
	// retention job would have done.
	clock = start
	_, err = s.DeleteExpiredContacts(ctx)
	return err
}
