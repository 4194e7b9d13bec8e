package news

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// hubTimeout bounds one round of pings to the WebSub hub.
const hubTimeout = 15 * time.Second

// NotifyHub tells the WebSub hub (when one is set) that the feeds changed,
// so newsrooms subscribed through it get a post at once instead of at their
// next poll. It runs in the background: a slow hub never delays the press
// office. base is the site's address; without one nothing is sent (the
// hub must be given the exact self URL of each feed).
func (s *Handler) NotifyHub(base string) {
	if s.websubHub == "" || base == "" {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), hubTimeout)
		defer cancel()
		for _, f := range []string{"/feed.atom", "/feed.xml", "/feed.json"} {
			form := url.Values{"hub.mode": {"publish"}, "hub.url": {base + f}}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.websubHub, strings.NewReader(form.Encode()))
			if err != nil {
				s.Log.Warn("websub: bad hub address", "err", err)
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				s.Log.Warn("websub: hub unreachable", "feed", f, "err", err)
				continue
			}
			resp.Body.Close()
			if resp.StatusCode >= 300 {
				s.Log.Warn("websub: hub refused the ping", "feed", f, "status", resp.StatusCode)
			}
		}
	}()
}
