package campaign

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"megafon/platform/csvout"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// export writes the campaign's calls as CSV or XLSX, without personal
// data: no name, number, contact id, caller or free text.
func (m *Module) export(w http.ResponseWriter, r *http.Request) error {
	c, op, err := m.campaignFor(r)
	if err != nil {
		return err
	}
	groups, all := ExportGroups(web.User(r), op, c)
	if !all && len(groups) == 0 {
		return errNotFound
	}
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "xlsx" {
		return problem.New(problem.BadRequest, "campaign.error.format")
	}
	header := []string{m.app.T(r, "campaign.export.ended_at"), m.app.T(r, "campaign.export.group"), m.app.T(r, "campaign.export.language"),
		m.app.T(r, "campaign.export.district"), m.app.T(r, "campaign.export.attempt"), m.app.T(r, "campaign.export.outcome"),
		m.app.T(r, "campaign.export.other_language"), m.app.T(r, "campaign.export.seconds"), m.app.T(r, "campaign.export.topics")}
	for _, q := range c.Questions {
		header = append(header, q.Text)
	}
	record := func(row ExportRow) []string {
		out := []string{row.EndedAt.In(stockholm).Format("2006-01-02 15:04"), row.Group, row.Language, row.District,
			strconv.Itoa(row.Attempt), m.app.T(r, "campaign.outcome."+string(row.Outcome)), row.Other, strconv.Itoa(row.Seconds), row.Topics}
		for i := range c.Questions {
			out = append(out, row.Answers[strconv.Itoa(i)])
		}
		return out
	}
	name := fmt.Sprintf("campaign-%d-%s", c.ID, m.app.Now().In(stockholm).Format("2006-01-02"))
	if format == "csv" {
		return m.exportCSV(r.Context(), w, web.Lang(r), c, name, header, record, groups, all)
	}
	return m.exportXLSX(r.Context(), w, c, name, header, record, groups, all)
}

func (m *Module) exportCSV(ctx context.Context, w http.ResponseWriter, lang string, c Campaign, name string, header []string, record func(ExportRow) []string, groups []int64, all bool) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	cw := csvout.NewWriter(w, lang)
	cw.Write(header)
	err := m.store.Export(ctx, c, groups, all, func(row ExportRow) error { return cw.Write(record(row)) })
	return errors.Join(err, cw.Flush())
}

func (m *Module) exportXLSX(ctx context.Context, w http.ResponseWriter, c Campaign, name string, header []string, record func(ExportRow) []string, groups []int64, all bool) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Calls"
	f.SetSheetName("Sheet1", sheet)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	row := 1
	put := func(cells []string) error {
		vals := make([]any, len(cells))
		for i, s := range cells {
			vals[i] = s
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	}
	if err := put(header); err != nil {
		return err
	}
	if err := m.store.Export(ctx, c, groups, all, func(r ExportRow) error { return put(record(r)) }); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
	return f.Write(w)
}

// CallsToday counts the calls the caller recorded in the campaign today
// (Stockholm time).
func (s *Store) CallsToday(ctx context.Context, campaignID, callerID int64, now time.Time) (int, error) {
	local := now.In(stockholm)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, stockholm)
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM campaign_calls WHERE campaign_id = $1 AND caller_id = $2 AND ended_at >= $3`,
		campaignID, callerID, midnight.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("calls today: %w", err)
	}
	return n, nil
}
