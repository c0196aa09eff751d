package telephony

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"megafon/outreach/helpline"
	"megafon/platform/audit"
	"megafon/platform/auth"
	"megafon/platform/problem"
	"megafon/platform/web"
)

// Audit actions of the module.
const (
	AuditConnect   = "telephony_connect"
	AuditRenew     = "telephony_renew_secret"
	AuditRecording = "telephony_recording"
)

// managers may open a line's telephony page; the handler checks that she
// is a coordinator of the line's lead administration.
var managers = web.Roles(auth.Coordinator)

var (
	errForbidden  = problem.New(problem.Forbidden, "error.forbidden")
	errBadRequest = problem.New(problem.BadRequest, "error.bad_request")
)

const defaultWebhookBytes = 64 << 10

func (m *Module) mountRoutes(app *web.App) {
	app.Catalogue.MustLoad(mustSub(catalogue, "catalogue"))
	app.Templates("telephony", mustSub(templates, "templates"))
	maxHook := m.MaxWebhookBytes
	if maxHook <= 0 {
		maxHook = defaultWebhookBytes
	}
	app.Handle("POST /hooks/{provider}/{key}/{step}", web.Public, m.webhook, web.NoCSRF(), web.MaxBody(maxHook))
	app.Handle("GET /telephony/audio/{sha}", web.Public, m.audio, web.Cacheable())
	app.Handle("GET /helplines/{id}/telephony", managers, m.page)
	app.Handle("POST /helplines/{id}/telephony", managers, m.connect)
	app.Handle("POST /helplines/{id}/telephony/secret", managers, m.renew)
	app.Handle("POST /helplines/{id}/telephony/recordings", managers, m.upload, web.MaxBody(MaxRecordingBytes+64<<10))
	app.Handle("POST /helplines/{id}/telephony/recordings/delete", managers, m.deleteRecording)
	app.Handle("GET /helplines/{id}/telephony/simulator", managers, m.simPage)
	app.Handle("POST /helplines/{id}/telephony/simulator", managers, m.simAct)
}

// publicBase is the application's public address, without a final "/".
func (m *Module) publicBase() string { return strings.TrimRight(m.app.Config.BaseURL, "/") }

// webhook answers a provider's request about a call. Whatever does not
// come from the provider for a line set up for it is refused with 403,
// logged with the reason, and changes nothing.
func (m *Module) webhook(w http.ResponseWriter, r *http.Request) error {
	name, key, step := r.PathValue("provider"), r.PathValue("key"), Step(r.PathValue("step"))
	p, ok := ProviderNamed(name)
	if !ok || !slices.Contains(Steps, step) {
		return ErrNotFound
	}
	refuse := func(reason error) error {
		// No number, no secret: the provider, the step and why.
		m.app.Log.Warn("telephony webhook refused", "provider", name, "step", string(step), "reason", reason.Error())
		return errForbidden
	}
	var st Settings
	var err error
	if p.SecretAddress() {
		st, err = m.store.SettingsBySecret(r.Context(), key)
	} else {
		id, perr := strconv.ParseInt(key, 10, 64)
		if perr != nil || id <= 0 {
			return refuse(errors.New("not a line's address"))
		}
		st, err = m.store.Settings(r.Context(), id)
	}
	if errors.Is(err, ErrNotFound) {
		return refuse(errors.New("no line at this address"))
	}
	if err != nil {
		return err
	}
	if st.Provider != p.Name() {
		return refuse(errors.New("the line uses another provider"))
	}
	if err := p.Verify(r, st, m.publicBase()+r.URL.RequestURI(), web.ClientAddr(r)); err != nil {
		return refuse(err)
	}
	ev, err := p.Parse(r, step)
	if err != nil {
		return errBadRequest.Because(err)
	}
	if m.Roster == nil || m.Calls == nil {
		return errNotConnected
	}
	line, err := m.Roster.Line(r.Context(), st.LineID)
	if err != nil {
		return err
	}
	rep, err := m.flow().Handle(r.Context(), turn{line: line, p: p, step: step, query: r.URL.Query(), ev: ev,
		hooks: m.publicBase() + "/hooks/" + name + "/" + key, audio: m.publicBase() + "/telephony/audio/"})
	if errors.Is(err, ErrBadRequest) {
		return errBadRequest.Because(err)
	}
	if err != nil {
		return err
	}
	return p.Write(w, rep)
}

// audio serves a recording to the provider. Its address is its content's
// hash: unguessable, and never stale.
func (m *Module) audio(w http.ResponseWriter, r *http.Request) error {
	ct, b, err := m.store.Audio(r.Context(), r.PathValue("sha"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, err = w.Write(b)
	return err
}

// managedLine returns the line of the path when the person manages its
// operation.
func (m *Module) managedLine(r *http.Request) (helpline.Line, error) {
	id, err := web.PathID(r, "id", ErrNotFound)
	if err != nil {
		return helpline.Line{}, err
	}
	if m.Roster == nil {
		return helpline.Line{}, errNotConnected
	}
	line, err := m.Roster.Line(r.Context(), id)
	if err != nil {
		return helpline.Line{}, err
	}
	op, err := m.ops.Get(r.Context(), line.OperationID)
	if err != nil {
		return helpline.Line{}, err
	}
	// As the line's other settings: a coordinator of the lead
	// administration. An administrator runs the system, not the line.
	if !helpline.CanManageLine(web.User(r), op) {
		return helpline.Line{}, errForbidden
	}
	return line, nil
}

func langsOf(line helpline.Line) []string {
	var out []string
	for _, l := range line.Languages {
		out = append(out, l.Lang)
	}
	return out
}

// pageData is the line's telephony page.
type pageData struct {
	Line        helpline.Line
	Settings    LineSettings
	Form        Connection
	Providers   []string
	StartURL    string // the webhook addresses to give the provider
	EndURL      string
	FreshSecret bool // StartURL and EndURL carry a secret shown this once
	Rows        []recordingRow
	Kinds       []Kind
	Demo        bool
}

type recordingRow struct {
	Lang     string
	LangName string
	Key      int
	Cells    []recordingCell
}

type recordingCell struct {
	Kind      Kind
	Recording *Recording
	URL       string
}

func (m *Module) pageData(r *http.Request, line helpline.Line) (*pageData, error) {
	ls, err := m.store.LineSettings(r.Context(), line.ID)
	if err != nil {
		return nil, err
	}
	recs, err := m.store.Recordings(r.Context(), line.ID)
	if err != nil {
		return nil, err
	}
	d := &pageData{Line: line, Settings: ls, Form: Connection{Provider: ls.Provider, Account: ls.Account, AllowIPs: ls.AllowIPs},
		Providers: ProviderNames(), Kinds: Kinds, Demo: m.app.Config.Demo}
	if d.Form.Provider == "" {
		d.Form.Provider = "46elks"
	}
	base := m.publicBase() + "/hooks/" + ls.Provider + "/"
	switch ls.Provider {
	case "twilio":
		d.StartURL, d.EndURL = base+strconv.FormatInt(line.ID, 10)+"/start", base+strconv.FormatInt(line.ID, 10)+"/end"
	case "46elks":
		if s, ok := m.app.Sessions.Pop(r.Context(), secretSessionKey(line.ID)).(string); ok && s != "" {
			d.StartURL, d.EndURL, d.FreshSecret = base+s+"/start", base+s+"/end", true
		}
	}
	langs := slices.Clone(line.Languages)
	slices.SortFunc(langs, func(a, b helpline.Language) int { return a.Key - b.Key })
	for _, l := range langs {
		row := recordingRow{Lang: l.Lang, LangName: m.app.LangName(web.Lang(r), l.Lang), Key: l.Key}
		for _, k := range Kinds {
			cell := recordingCell{Kind: k}
			for i := range recs {
				if recs[i].Lang == l.Lang && recs[i].Kind == k {
					cell.Recording = &recs[i]
					cell.URL = "/telephony/audio/" + recs[i].SHA256
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

func secretSessionKey(lineID int64) string {
	return "telephony.secret." + strconv.FormatInt(lineID, 10)
}

func (m *Module) page(w http.ResponseWriter, r *http.Request) error {
	line, err := m.managedLine(r)
	if err != nil {
		return err
	}
	d, err := m.pageData(r, line)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "telephony/line", d)
	return nil
}

func (m *Module) pageURL(line helpline.Line) string {
	return "/helplines/" + strconv.FormatInt(line.ID, 10) + "/telephony"
}

func (m *Module) connect(w http.ResponseWriter, r *http.Request) error {
	line, err := m.managedLine(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	c := Connection{Provider: r.PostFormValue("provider"), Account: strings.TrimSpace(r.PostFormValue("account")),
		Token: strings.TrimSpace(r.PostFormValue("token")), AllowIPs: r.PostFormValue("allow_ips")}
	fresh, err := m.store.Connect(r.Context(), u.ID, line.ID, c)
	if err != nil {
		d, derr := m.pageData(r, line)
		if derr != nil {
			return derr
		}
		c.Token = ""
		d.Form = c
		return m.app.RenderForm(w, r, "telephony/line", d, err)
	}
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: AuditConnect,
		Subject: fmt.Sprintf("helpline:%d", line.ID), Detail: c.Provider, Addr: web.ClientAddr(r)}); err != nil {
		return err
	}
	if fresh != "" {
		m.app.Sessions.Put(r.Context(), secretSessionKey(line.ID), fresh)
	}
	m.app.Flash(r, "telephony.saved")
	return web.Redirect(w, r, m.pageURL(line))
}

func (m *Module) renew(w http.ResponseWriter, r *http.Request) error {
	line, err := m.managedLine(r)
	if err != nil {
		return err
	}
	u := web.User(r)
	fresh, err := m.store.RenewSecret(r.Context(), u.ID, line.ID)
	if err != nil {
		return err
	}
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: AuditRenew,
		Subject: fmt.Sprintf("helpline:%d", line.ID), Addr: web.ClientAddr(r)}); err != nil {
		return err
	}
	m.app.Sessions.Put(r.Context(), secretSessionKey(line.ID), fresh)
	m.app.Flash(r, "telephony.renewed")
	return web.Redirect(w, r, m.pageURL(line))
}

func (m *Module) upload(w http.ResponseWriter, r *http.Request) error {
	line, err := m.managedLine(r)
	if err != nil {
		return err
	}
	var audioBytes []byte
	if r.MultipartForm != nil && len(r.MultipartForm.File["audio"]) > 0 {
		f, err := r.MultipartForm.File["audio"][0].Open()
		if err != nil {
			return err
		}
		audioBytes, err = io.ReadAll(io.LimitReader(f, MaxRecordingBytes+1))
		f.Close()
		if err != nil {
			return err
		}
	}
	u := web.User(r)
	lang, kind := r.PostFormValue("lang"), Kind(r.PostFormValue("kind"))
	if _, err := m.store.SaveRecording(r.Context(), u.ID, line.ID, langsOf(line), lang, kind, audioBytes); err != nil {
		d, derr := m.pageData(r, line)
		if derr != nil {
			return derr
		}
		return m.app.RenderForm(w, r, "telephony/line", d, err)
	}
	if err := m.app.Audit.Record(r.Context(), audit.Entry{ActorID: u.ID, ActorName: u.Name, Action: AuditRecording,
		Subject: fmt.Sprintf("helpline:%d", line.ID), Detail: lang + " " + string(kind), Addr: web.ClientAddr(r)}); err != nil {
		return err
	}
	m.app.Flash(r, "telephony.recording_saved")
	return web.Redirect(w, r, m.pageURL(line)+"#recordings")
}

func (m *Module) deleteRecording(w http.ResponseWriter, r *http.Request) error {
	line, err := m.managedLine(r)
	if err != nil {
		return err
	}
	if err := m.store.DeleteRecording(r.Context(), line.ID, r.PostFormValue("lang"), Kind(r.PostFormValue("kind"))); err != nil {
		return err
	}
	m.app.Flash(r, "telephony.recording_deleted")
	return web.Redirect(w, r, m.pageURL(line)+"#recordings")
}

// simKey names one person's simulated call on one line.
type simKey struct{ person, line int64 }

// simData is the simulator page.
type simData struct {
	Line     helpline.Line
	Provider string
	Call     *Sim
	Steps    []simStep
	Ringing  []string
	Listens  bool // a menu or an offer waits for a key
	Keys     []string
	From     string
	Address  string // 46elks: the secret address the person gave
}

// simStep is one exchange as the page shows it.
type simStep struct {
	Step    Step
	Status  int
	Plays   []string // "Arabic: menu prompt"
	Gather  bool
	Ringing []string
	Hangup  bool
	Body    string
}

func (m *Module) simLine(r *http.Request) (helpline.Line, Settings, error) {
	if !m.app.Config.Demo {
		return helpline.Line{}, Settings{}, ErrNotFound
	}
	line, err := m.managedLine(r)
	if err != nil {
		return line, Settings{}, err
	}
	st, err := m.store.Settings(r.Context(), line.ID)
	if errors.Is(err, ErrNotFound) {
		return line, st, errNotConnected
	}
	return line, st, err
}

func (m *Module) simPage(w http.ResponseWriter, r *http.Request) error {
	line, st, err := m.simLine(r)
	if err != nil {
		return err
	}
	d, err := m.simData(r, line, st)
	if err != nil {
		return err
	}
	m.app.Render(w, r, http.StatusOK, "telephony/simulator", d)
	return nil
}

func (m *Module) simData(r *http.Request, line helpline.Line, st Settings) (*simData, error) {
	recs, err := m.store.Recordings(r.Context(), line.ID)
	if err != nil {
		return nil, err
	}
	label := m.recordingLabels(r, recs)
	m.simMu.Lock()
	defer m.simMu.Unlock()
	return m.simDataOf(r, line, st, label)
}

// simDataLocked is simData for a caller that holds simMu.
func (m *Module) simDataLocked(r *http.Request, line helpline.Line, st Settings) (*simData, error) {
	recs, err := m.store.Recordings(r.Context(), line.ID)
	if err != nil {
		return nil, err
	}
	return m.simDataOf(r, line, st, m.recordingLabels(r, recs))
}

// recordingLabels names each recording's address for the simulator: its
// language and what it says.
func (m *Module) recordingLabels(r *http.Request, recs []Recording) map[string]string {
	label := map[string]string{}
	for _, rec := range recs {
		label[m.publicBase()+"/telephony/audio/"+rec.SHA256] = m.app.LangName(web.Lang(r), rec.Lang) + ": " + m.app.T(r, "telephony.kind."+string(rec.Kind))
	}
	return label
}

func (m *Module) simDataOf(r *http.Request, line helpline.Line, st Settings, label map[string]string) (*simData, error) {
	d := &simData{Line: line, Provider: st.Provider, From: "+46701234567", Keys: []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"}}
	s := m.sims[simKey{web.User(r).ID, line.ID}]
	if s == nil {
		return d, nil
	}
	d.Call, d.Ringing, d.Listens, d.From = s, s.Ringing(), !s.Ended && s.Last.Gather != nil, s.From
	for _, ex := range s.Log {
		v := simStep{Step: ex.Step, Status: ex.Status, Gather: ex.Reply.Gather != nil, Hangup: ex.Reply.Hangup, Body: ex.Body}
		for _, p := range ex.Reply.Play {
			if l, ok := label[p]; ok {
				v.Plays = append(v.Plays, l)
			} else {
				v.Plays = append(v.Plays, p)
			}
		}
		if ex.Reply.Forward != nil {
			v.Ringing = ex.Reply.Forward.Numbers
		}
		d.Steps = append(d.Steps, v)
	}
	return d, nil
}

// simAct does what the person asked of the simulated call, against the
// real webhooks, and shows the page again.
func (m *Module) simAct(w http.ResponseWriter, r *http.Request) error {
	line, st, err := m.simLine(r)
	if err != nil {
		return err
	}
	key := simKey{web.User(r).ID, line.ID}
	// One action at a time: a double tap must not run two steps of the
	// same call at once. The webhooks it calls do not take this lock.
	m.simMu.Lock()
	defer m.simMu.Unlock()
	s := m.sims[key]
	action := r.PostFormValue("action")
	if action == "arrive" {
		s = &Sim{Handler: m.app.Handler(), Provider: st.Provider, Account: st.Account, Token: st.Token}
		switch st.Provider {
		case "twilio":
			s.Hooks = m.publicBase() + "/hooks/twilio/" + strconv.FormatInt(line.ID, 10)
		default:
			addr := strings.TrimSuffix(strings.TrimSpace(r.PostFormValue("address")), "/start")
			if !strings.HasPrefix(addr, m.publicBase()+"/hooks/46elks/") {
				d, derr := m.simDataLocked(r, line, st)
				if derr != nil {
					return derr
				}
				return m.app.RenderForm(w, r, "telephony/simulator", d, problem.Field("address", "telephony.sim.error.address"))
			}
			s.Hooks = addr
		}
		m.sims[key] = s
	}
	if s == nil {
		return web.Redirect(w, r, m.pageURL(line)+"/simulator")
	}
	// The simulated provider calls the webhooks in this request, as the
	// real one would while this person waits.
	switch action {
	case "arrive":
		from := strings.TrimSpace(r.PostFormValue("from"))
		if from != "" && !e164.MatchString(from) {
			from = ""
		}
		_, err = s.Arrive(from, line.PublicNumber)
	case "key":
		k := r.PostFormValue("key")
		if !isKey(k) {
			k = ""
		}
		_, err = s.Press(k)
	case "answer":
		_, err = s.Answer(r.PostFormValue("number"), 3*time.Minute)
	case "noanswer":
		_, err = s.NoAnswer(false)
	case "busy":
		_, err = s.NoAnswer(true)
	case "hangup":
		_, err = s.HangUp(time.Minute)
	default:
		return errBadRequest
	}
	if err != nil && !errors.Is(err, ErrSimState) {
		// A refused or failed webhook is shown in the log, as the
		// provider would see it.
		m.app.Log.Info("telephony simulator: webhook failed", "err", err.Error())
	}
	return web.Redirect(w, r, m.pageURL(line)+"/simulator")
}
