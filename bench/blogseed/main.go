// Command blogseed prepares a freshly started examples/blog for the
// benchmark of its home page: it creates the first author through the
// blog's own forms (or signs in, if the author exists) and composes -entries
// posts, so that "/" shows five real entries rather than redirecting to
// /compose.
//
//	blogseed -url http://127.0.0.1:18090 -entries 5
//
// It speaks only HTTP to the blog, as a browser would: XSRF tokens from the
// forms, the signed cookie kept in a cookie jar.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// The author the benchmark signs in as. The password meets the blog's
// eight-character minimum.
const (
	authorEmail    = "bench@example.com"
	authorName     = "Bench Mark"
	authorPassword = "bench-password"
)

// maxPage bounds what is read of one page: the blog's pages are a few KiB.
const maxPage = 4 << 20

// entryMarkdown is the body of each post: a few paragraphs, a list, a link
// and a code block, about the size of a short blog post.
const entryMarkdown = `Tornado's blog demo, served by tornago, is the page this benchmark loads.

It has **five entries** like this one, each rendered from Markdown by goldmark:

- a paragraph or two of text,
- a list such as this one,
- a [link to Tornado](https://www.tornadoweb.org/) and some ` + "`inline code`" + `.

    func (h *HomeHandler) Get() { h.Render("home.html", entries) }

The home page shows the newest entries in full, so each request runs a database
query and renders five entries through the Entry UI module.
`

var xsrfField = regexp.MustCompile(`name="_xsrf"\s+value="([^"]+)"`)

func main() {
	base := flag.String("url", "http://127.0.0.1:8888", "the blog's base URL (loopback)")
	entries := flag.Int("entries", 5, "posts to compose")
	timeout := flag.Duration("timeout", 60*time.Second, "bound on the whole run")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := seed(ctx, strings.TrimSuffix(*base, "/"), *entries); err != nil {
		fmt.Fprintln(os.Stderr, "blogseed:", err)
		os.Exit(1)
	}
}

type client struct {
	ctx  context.Context
	base string
	http *http.Client
}

func seed(ctx context.Context, base string, entries int) error {
	u, err := url.Parse(base)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		return fmt.Errorf("-url %q is not a loopback URL", base)
	}
	jar, _ := cookiejar.New(nil)
	c := &client{ctx: ctx, base: base, http: &http.Client{Jar: jar, Timeout: 20 * time.Second}}

	status, _, err := c.form("/auth/create", url.Values{"email": {authorEmail}, "name": {authorName}, "password": {authorPassword}})
	if err != nil {
		return fmt.Errorf("creating the author: %w", err)
	}
	if status != http.StatusOK {
		// The author exists already: sign in instead.
		status, _, err = c.form("/auth/login", url.Values{"email": {authorEmail}, "password": {authorPassword}})
		if err != nil {
			return fmt.Errorf("signing in: %w", err)
		}
		if status != http.StatusOK {
			return fmt.Errorf("signing in: status %d", status)
		}
	}
	for i := 1; i <= entries; i++ {
		status, _, err := c.form("/compose", url.Values{
			"title":    {fmt.Sprintf("Benchmark entry %d", i)},
			"markdown": {entryMarkdown},
		})
		if err != nil {
			return fmt.Errorf("composing entry %d: %w", i, err)
		}
		if status != http.StatusOK {
			return fmt.Errorf("composing entry %d: status %d", i, status)
		}
	}
	status, page, err := c.get("/")
	if err != nil {
		return fmt.Errorf("home page: %w", err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("home page: status %d", status)
	}
	fmt.Printf("seeded %d entries; home page %d bytes\n", entries, len(page))
	return nil
}

// form loads the form page at path for its XSRF token, then posts values
// with it. Redirects are followed; the final status is returned.
func (c *client) form(path string, values url.Values) (int, string, error) {
	status, page, err := c.get(path)
	if err != nil {
		return 0, "", err
	}
	if status != http.StatusOK {
		return status, page, nil
	}
	token, err := c.xsrf(page)
	if err != nil {
		return 0, "", fmt.Errorf("GET %s: %w", path, err)
	}
	values.Set("_xsrf", token)
	req, err := http.NewRequestWithContext(c.ctx, http.MethodPost, c.base+path, strings.NewReader(values.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) get(path string) (int, string, error) {
	req, err := http.NewRequestWithContext(c.ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return 0, "", err
	}
	return c.do(req)
}

func (c *client) do(req *http.Request) (int, string, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPage))
	if err != nil {
		return 0, "", fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	return resp.StatusCode, string(body), nil
}

// xsrf takes the token from the form's hidden field, or else from the
// _xsrf cookie (Tornado accepts either form of the token).
func (c *client) xsrf(page string) (string, error) {
	if m := xsrfField.FindStringSubmatch(page); m != nil {
		return m[1], nil
	}
	u, _ := url.Parse(c.base)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "_xsrf" {
			return ck.Value, nil
		}
	}
	return "", errors.New("no _xsrf field or cookie")
}
