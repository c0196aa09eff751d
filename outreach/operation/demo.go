package operation

import (
	"context"
	"fmt"
	"time"

	"megafon/platform/demo"
	"megafon/platform/web"
)

// DemoName is the name of the demo operation, for other modules' demo data.
const DemoName = "Covid-19-information"

// SeedDemo adds the demo operation: led by the Labour Market
// Administration, the District Mothers taking part, the Somali women's
// association invited, at level 2 after a change with its reason.
func (m *Module) SeedDemo(ctx context.Context, app *web.App, city *demo.City) error {
	clock := time.Date(2020, 10, 5, 9, 0, 0, 0, time.UTC)
	s := &Store{DB: app.DB, Now: func() time.Time { return clock }}
	coord := city.People["samordnare@demo.megafon.se"]
	id, err := s.Create(ctx, coord, Draft{
		Name:        DemoName,
		Description: "Stadsdelsmammorna ringer invånare som officiella kanaler inte når, på deras eget språk, med stadens verifierade svar om covid-19.",
		StartsOn:    "2020-10-05", LeadOrgID: city.Orgs[demo.LabourMarket].ID, Level: LevelSelfRun,
	})
	if err != nil {
		return fmt.Errorf("demo operation: %w", err)
	}
	if err := s.Invite(ctx, coord, id, city.Orgs[demo.DistrictMothers].ID); err != nil {
		return err
	}
	clock = clock.Add(26 * time.Hour)
	if err := s.Join(ctx, id, city.Orgs[demo.DistrictMothers].ID); err != nil {
		return err
	}
	clock = time.Date(2020, 11, 16, 13, 30, 0, 0, time.UTC)
	if _, err := s.ChangeLevel(ctx, coord, id, LevelChangeRequest{To: LevelSupported,
		Reason: "Många nya frågor om testning och smittspridning i stadsdelarna; grupperna behöver svar inom ett dygn och ett veckomöte."}, nil); err != nil {
		return err
	}
	clock = time.Date(2021, 2, 1, 8, 0, 0, 0, time.UTC)
	return s.Invite(ctx, coord, id, city.Orgs[demo.SomaliAssoc].ID)
}
