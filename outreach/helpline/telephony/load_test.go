package telephony_test

import (
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"megafon/outreach/helpline"
	"megafon/outreach/helpline/telephony"
)

// TestWebhookLatencyUnderSimultaneousCalls measures the webhooks while
// MEGAFON_LOAD_CALLS calls (e.g. 200) are on the line at once on each
// database, each hearing the menu, choosing Arabic, being answered and
// hanging up through the simulator, in two shapes side by side: "burst",
// every call arriving in the same instant and each step following the
// last at once (the worst case: 800 requests queue on two cores), and
// "paced", the calls arriving within one second and each caller taking
// one to three seconds between steps, as people do, so that all of them
// are in progress together. It reports p50 and p99 of every webhook
// request and asserts nothing about time (a provider waits on each
// answer, so the aim is p99 under 50 ms). It runs only when asked:
//
//	MEGAFON_LOAD_CALLS=200 go test ./outreach/helpline/telephony -run WebhookLatency -v
func TestWebhookLatencyUnderSimultaneousCalls(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("MEGAFON_LOAD_CALLS"))
	if n <= 0 {
		t.Skip("set MEGAFON_LOAD_CALLS to the number of simultaneous calls")
	}
	for _, d := range dialects {
		for _, paced := range []bool{false, true} {
			shape := "burst"
			if paced {
				shape = "paced"
			}
			t.Run(string(d)+"/"+shape, func(t *testing.T) {
				f := newFixture(t, d, "twilio", helpline.RingAll)
				var mu sync.Mutex
				var took []time.Duration
				app := f.s.App.Handler()
				timed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					start := time.Now()
					app.ServeHTTP(w, r)
					el := time.Since(start)
					mu.Lock()
					took = append(took, el)
					mu.Unlock()
				})
				var wg sync.WaitGroup
				gate := make(chan struct{})
				errs := make(chan error, n)
				for i := range n {
					wg.Add(1)
					go func() {
						defer wg.Done()
						s := &telephony.Sim{Handler: timed, Provider: "twilio", Hooks: f.hooks("twilio", f.line, ""), Account: twilioSID, Token: twilioToken}
						<-gate
						// pause is a caller's time before a step: nothing in a
						// burst; in the paced shape up to a second before the
						// call arrives, then one to three seconds per step.
						rng := rand.New(rand.NewPCG(uint64(i), 14))
						pause := func(first bool) {
							if !paced {
								return
							}
							if first {
								time.Sleep(time.Duration(rng.Int64N(int64(time.Second))))
								return
							}
							time.Sleep(time.Second + time.Duration(rng.Int64N(int64(2*time.Second))))
						}
						steps := []func() (telephony.Exchange, error){
							func() (telephony.Exchange, error) {
								return s.Arrive("+4673"+strconv.Itoa(1000000+i), f.line.PublicNumber)
							},
							func() (telephony.Exchange, error) { return s.Press("2") },
							func() (telephony.Exchange, error) { return s.Answer(aminaPhone, time.Minute) },
							func() (telephony.Exchange, error) { return s.HangUp(time.Minute) },
						}
						for k, step := range steps {
							pause(k == 0)
							if _, err := step(); err != nil {
								errs <- err
								return
							}
						}
					}()
				}
				start := time.Now()
				close(gate)
				wg.Wait()
				wall := time.Since(start)
				close(errs)
				for err := range errs {
					t.Error(err)
				}
				slices.Sort(took)
				q := func(p float64) time.Duration { return took[min(len(took)-1, int(p*float64(len(took))))] }
				load, _ := os.ReadFile("/proc/loadavg")
				t.Logf("%s %s: %d simultaneous calls, %d webhook requests in %v: p50 %v, p99 %v, max %v; loadavg %s",
					d, shape, n, len(took), wall.Round(time.Millisecond), q(0.50).Round(time.Microsecond), q(0.99).Round(time.Microsecond),
					took[len(took)-1].Round(time.Microsecond), string(load))
			})
		}
	}
}
