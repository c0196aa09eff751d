// Package demo seeds the demo city, a Helsingborg-like city that shows
// every feature on first start. The platform seeds organisations and a
// person for every role; each module then adds its own demo data through
// the Seeder interface, referring to these by name.
package demo

import (
	"context"
	"fmt"

	"megafon/platform/auth"
	"megafon/platform/web"
)

// Password is every demo account's password; Passcode every demo
// volunteer's code. They are printed at start: this is a demo.
const (
	Password = "megafon-demo-2021"
	Passcode = "20202021"
)

// Names of the demo organisations.
const (
	LabourMarket    = "Arbetsmarknadsförvaltningen"
	CityManagement  = "Stadsledningsförvaltningen"
	SocialAdmin     = "Socialförvaltningen"
	DistrictMothers = "Stadsdelsmammorna"
	SomaliAssoc     = "Somaliska kvinnoföreningen"
)

// City is what the platform seeded, for modules to build on.
type City struct {
	Orgs   map[string]auth.Org   // by name
	People map[string]*auth.User // by login (e-mail or phone)
}

// Seeder is a module that adds demo data.
type Seeder interface {
	SeedDemo(ctx context.Context, app *web.App, city *City) error
}

// Account is a demo person.
type Account struct {
	Login     string // e-mail, or phone for volunteers
	Name      string
	Org       string
	Role      auth.Role
	Languages []string
}

// Accounts lists the demo people, one or more for every role.
var Accounts = []Account{
	{"admin@demo.megafon.se", "Alva Admin", CityManagement, auth.Admin, []string{"sv", "en"}},
	{"samordnare@demo.megafon.se", "Sara Samordnare", LabourMarket, auth.Coordinator, []string{"sv", "en"}},
	{"slf@demo.megafon.se", "Erik Ekholm", CityManagement, auth.Coordinator, []string{"sv"}},
	{"processledare@demo.megafon.se", "Gunilla Christiansson", SocialAdmin, auth.Facilitator, []string{"sv", "en"}},
	{"ledamot@demo.megafon.se", "Bo Nämndsson", SocialAdmin, auth.BoardMember, []string{"sv"}},
	{"gruppledare@demo.megafon.se", "Hodan Ali", DistrictMothers, auth.GroupLead, []string{"so", "sv", "en"}},
	{"+46701000001", "Amina Haddad", DistrictMothers, auth.Volunteer, []string{"ar", "sv"}},
	{"+46701000002", "Fadumo Warsame", DistrictMothers, auth.Volunteer, []string{"so", "sv"}},
	{"+46701000003", "Selam Tesfay", DistrictMothers, auth.Volunteer, []string{"ti", "sv", "en"}},
	{"+46701000004", "Mariam Ahmadi", DistrictMothers, auth.Volunteer, []string{"prs", "sv"}},
	{"+46701000005", "Emina Hodžić", DistrictMothers, auth.Volunteer, []string{"bs", "sv", "en"}},
	{"ledare@somaliska.demo.megafon.se", "Ayaan Yusuf", SomaliAssoc, auth.GroupLead, []string{"so", "sv"}},
	{"+46701000006", "Khadra Omar", SomaliAssoc, auth.Volunteer, []string{"so", "ar", "sv"}},
}

// SeedPlatform creates the demo organisations and people, unless the
// database already has organisations. It reports whether it seeded.
func SeedPlatform(ctx context.Context, s *auth.Store) (*City, bool, error) {
	orgs, err := s.Orgs(ctx)
	if err != nil {
		return nil, false, err
	}
	city := &City{Orgs: map[string]auth.Org{}, People: map[string]*auth.User{}}
	if len(orgs) > 0 {
		return city, false, nil
	}
	for _, o := range []struct {
		name string
		kind auth.OrgKind
	}{
		{LabourMarket, auth.Administration}, {CityManagement, auth.Administration}, {SocialAdmin, auth.Administration},
		{DistrictMothers, auth.PartnerGroup}, {SomaliAssoc, auth.PartnerGroup},
	} {
		org, err := s.CreateOrg(ctx, o.name, o.kind)
		if err != nil {
			return nil, false, fmt.Errorf("seed org %s: %w", o.name, err)
		}
		city.Orgs[o.name] = org
	}
	// One hash per secret, not one per person: argon2id is slow on purpose.
	passwordHash, passcodeHash := s.Argon2.Hash(Password), s.Argon2.Hash(Passcode)
	for _, a := range Accounts {
		p := auth.NewPerson{Name: a.Name, Languages: a.Languages}
		hash := passwordHash
		if a.Role == auth.Volunteer {
			p.Phone, p.SecretKind, hash = a.Login, "passcode", passcodeHash
		} else {
			p.Email = a.Login
		}
		id, err := s.CreatePerson(ctx, p, city.Orgs[a.Org].ID, a.Role, "")
		if err != nil {
			return nil, false, fmt.Errorf("seed person %s: %w", a.Login, err)
		}
		if err := s.SetSecretHash(ctx, id, hash); err != nil {
			return nil, false, err
		}
		if city.People[a.Login], err = s.User(ctx, id); err != nil {
			return nil, false, err
		}
	}
	return city, true, nil
}
