package contact

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"megafon/platform/auth"
	"megafon/platform/db"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// DemoGroup is the third partner group the demo's campaign calls with.
const DemoGroup = "Internationella kvinnoföreningen"

// demoDistricts are Helsingborg's districts where the pilot called.
var demoDistricts = []string{"Drottninghög", "Dalhem", "Husensjö", "Söder", "Planteringen", "Fredriksdal"}

// demoGroups says how many contacts each demo group has and in which
// languages (weights in the order given): 2,400 in eight languages.
var demoGroups = []struct {
	org   string
	n     int
	langs []string
}{
	{demo.DistrictMothers, 1100, []string{"ar", "ar", "ar", "ti", "ti", "prs", "bs", "en", "fa", "ckb", "so"}},
	{demo.SomaliAssoc, 600, []string{"so", "so", "so", "so", "ar"}},
	{DemoGroup, 700, []string{"fa", "fa", "prs", "prs", "ckb", "ti", "en", "bs"}},
}

var demoFirst = []string{"Amal", "Hodan", "Yonas", "Zahra", "Amra", "Fatima", "Omar", "Leyla", "Dawit", "Nasrin", "Emir", "Sara", "Ali", "Khadija", "Tesfay", "Shirin"}
var demoLast = []string{"Hassan", "Warsame", "Tesfaye", "Ahmadi", "Hodžić", "Karimi", "Yusuf", "Mohammadi", "Berhane", "Begić", "Rahimi", "Abdi"}

// SeedDemo gives the demo's partner groups 2,400 contacts in eight
// languages across six districts, creating a third group for them; the
// campaign module's demo calls them.
func (m *Module) SeedDemo(ctx context.Context, app *web.App, city *demo.City) error {
	org, ok := city.Orgs[DemoGroup]
	if !ok {
		var err error
		if org, err = app.Auth.CreateOrg(ctx, DemoGroup, auth.PartnerGroup); err != nil {
			return fmt.Errorf("demo contacts: %w", err)
		}
		city.Orgs[DemoGroup] = org
	}
	lead := city.People["gruppledare@demo.megafon.se"]
	r := rand.New(rand.NewPCG(4, 2021))
	now := m.store.now()
	retain := DefaultRetainUntil(now)
	serial := 0
	for _, g := range demoGroups {
		o, ok := city.Orgs[g.org]
		if !ok {
			continue
		}
		i := Import{OrgID: o.ID, Basis: BasisConsent, BasisNote: "Samtycke vid informationsträff", RetainUntil: retain}
		if lead != nil && lead.HasIn(o.ID, auth.GroupLead) {
			i.CreatedBy = lead.ID
		}
		goods := make([]good, 0, g.n)
		for range g.n {
			serial++
			// +46 70 9xx xx xx: a range no demo person has.
			e164 := fmt.Sprintf("+467090%05d", serial)
			langs := []string{g.langs[r.IntN(len(g.langs))]}
			if r.IntN(3) == 0 {
				langs = append(langs, "sv")
			}
			x := good{hash: m.store.HashPhone(e164), langs: strings.Join(langs, ","), district: demoDistricts[r.IntN(len(demoDistricts))], note: i.BasisNote}
			var err error
			if x.phone, err = m.Keys.EncryptString(e164, phoneContext); err != nil {
				return err
			}
			if r.IntN(4) != 0 { // most residents gave a name
				name := demoFirst[r.IntN(len(demoFirst))] + " " + demoLast[r.IntN(len(demoLast))]
				enc, err := m.Keys.EncryptString(name, nameContext)
				if err != nil {
					return err
				}
				x.name = sql.NullString{String: enc, Valid: true}
			}
			goods = append(goods, x)
		}
		err := app.DB.Tx(ctx, func(tx *sql.Tx) error {
			_, err := insertContacts(ctx, app.DB.Dialect, tx, i, goods, now)
			return err
		})
		if err != nil {
			return fmt.Errorf("demo contacts of %s: %w", g.org, err)
		}
	}
	// A resident who asked never to be called again.
	if _, err := app.DB.Exec(ctx, `INSERT INTO do_not_call (phone_hash, org_id, added_at) VALUES ($1, NULL, $2)`,
		m.store.HashPhone("+46709099999"), db.Now(now)); err != nil {
		return err
	}
	return m.seedDemoImports(ctx, city, retain)
}

// demoList is a list a District Mother kept in Excel: a finished import
// shows its rejected rows, and the same list uploaded again waits for its
// columns to be checked.
const demoList = "Namn;Telefon;Språk;Stadsdel\r\n" +
	"Samira Haddad;070-980 00 01;arabiska;Drottninghög\r\n" +
	"Yonas Berhane;0046 70 980 00 02;tigrinja, svenska;Dalhem\r\n" +
	"Ali;ring efter 17;arabiska;Söder\r\n" +
	"Nadia Karimi;+46 (0)70 9800003;dari;Husensjö\r\n" +
	"Leyla;070-980 00 01;arabiska;Drottninghög\r\n" +
	"Emir Begić;0709800004;;Söder\r\n" +
	"Okänd;0709099999;somaliska;Söder\r\n"

func (m *Module) seedDemoImports(ctx context.Context, city *demo.City, retain time.Time) error {
	org, ok := city.Orgs[demo.DistrictMothers]
	lead := city.People["gruppledare@demo.megafon.se"]
	if !ok || lead == nil {
		return nil
	}
	id, err := m.imports.Upload(ctx, org.ID, lead, "kontakter-mars.csv", []byte(demoList), BasisConsent, "Samtycke vid informationsträff", retain)
	if err != nil {
		return fmt.Errorf("demo import: %w", err)
	}
	if err := m.imports.Start(ctx, id); err != nil {
		return fmt.Errorf("demo import: %w", err)
	}
	m.imports.Wait()
	if _, err := m.imports.Upload(ctx, org.ID, lead, "kontakter-april.csv", []byte(demoList), BasisConsent, "", retain); err != nil {
		return fmt.Errorf("demo import: %w", err)
	}
	return nil
}
