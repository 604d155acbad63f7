package conformance

import (
	"testing"
)

// bytewiseMax bounds the rows also sent one byte per write: the large
// rows would cost a hundred thousand syscalls for nothing new.
const bytewiseMax = 4 << 10

// TestConformance runs the table against tornago (whole and byte by byte)
// and against net/http (whole).
func TestConformance(t *testing.T) {
	srv := startServers(t)
	seen := map[string]bool{}
	for _, r := range table {
		if seen[r.name] {
			t.Fatalf("duplicate row name %q", r.name)
		}
		seen[r.name] = true
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			addr, std := srv.tornago, srv.netHTTP
			if r.small {
				addr, std = srv.tornagoSmall, srv.netHTTPSmall
			}
			check := func(mode, addr string, bytewise bool, want expect, known string) {
				got, err := exchange(addr, r.raw, bytewise, want.finals(), r.methods)
				if err != nil {
					t.Errorf("%s: %v", mode, err)
					return
				}
				if want.matches(got) {
					if known != "" {
						t.Logf("%s: known issue fixed? %s", mode, known)
					}
					return
				}
				if known != "" {
					t.Logf("%s: known issue (%s): got %v %q, want %v", mode, known, got, got.bodies, want.statuses)
					return
				}
				t.Errorf("%s: got %v %q, want statuses=%v closed=%v echo=%q", mode, got, got.bodies, want.statuses, want.close, want.echo)
			}
			check("tornago", addr, false, r.want, r.knownIssue)
			if len(r.raw) <= bytewiseMax {
				known := r.knownIssue
				if known == "" {
					known = r.bytewiseIssue
				}
				check("tornago bytewise", addr, true, r.want, known)
			}
			want := r.want
			if r.netHTTP != nil {
				want = *r.netHTTP
			}
			check("net/http", std, false, want, "")
		})
	}
}
