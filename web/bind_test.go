package web_test

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/url"
	"testing"
	"time"

	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/web"
)

type signupForm struct {
	Email    string         `form:"email" validate:"required,email"`
	Name     string         `form:"name" validate:"required,min=2,max=20"`
	Age      int            `form:"age" validate:"gte=18"`
	Score    float64        `form:"score"`
	Agree    bool           `form:"agree"`
	Tags     []string       `form:"tag" validate:"max=3"`
	Plan     string         `form:"plan" validate:"omitempty,oneof=free pro"`
	Born     time.Time      `form:"born"`
	Nick     *string        `form:"nick"`
	Internal string         `form:"-"`
	Avatar   *httputil.File `form:"avatar"`
}

type signupHandler struct{ web.RequestHandler }

func (h *signupHandler) Post() error {
	var f signupForm
	f.Internal = "kept"
	if err := h.Bind(&f); err != nil {
		var fe *web.FormError
		if errors.As(err, &fe) && h.Request.QueryArguments().Get("show") != "" {
			return h.Write(map[string]any{"errors": fe.Fields})
		}
		return err
	}
	nick := "<nil>"
	if f.Nick != nil {
		nick = *f.Nick
	}
	avatar := ""
	if f.Avatar != nil {
		avatar = f.Avatar.Filename + ":" + string(f.Avatar.Body)
	}
	return h.Write(map[string]any{
		"email": f.Email, "name": f.Name, "age": f.Age, "score": f.Score, "agree": f.Agree,
		"tags": f.Tags, "plan": f.Plan, "born": f.Born.Format("2006-01-02"), "nick": nick,
		"internal": f.Internal, "avatar": avatar,
	})
}

type jsonBody struct {
	Title string   `json:"title" validate:"required"`
	Count int      `json:"count" validate:"min=1"`
	Tags  []string `json:"tags"`
}

type jsonHandler struct{ web.RequestHandler }

func (h *jsonHandler) Post() error {
	var b jsonBody
	if err := h.BindJSON(&b); err != nil {
		var fe *web.FormError
		if errors.As(err, &fe) {
			return h.Write(map[string]any{"errors": fe.Fields})
		}
		return err
	}
	return h.Write(map[string]any{"title": b.Title, "count": b.Count})
}

func TestBind(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/signup", Handler: &signupHandler{}},
		{Pattern: "/json", Handler: &jsonHandler{}},
	}, web.Settings{})
	post := func(target string, v url.Values) string {
		return c.Post(target, v).Text()
	}
	good := url.Values{"email": {" ann@example.com "}, "name": {"Ann"}, "age": {"30"}, "score": {"9.5"},
		"agree": {"on"}, "tag": {"a", "b"}, "plan": {"pro"}, "born": {"1990-05-01"}, "nick": {"annie"}, "Internal": {"x"}}
	want := `{"age":30,"agree":true,"avatar":"","born":"1990-05-01","email":"ann@example.com","internal":"kept","name":"Ann","nick":"annie","plan":"pro","score":9.5,"tags":["a","b"]}`
	if got := post("/signup", good); got != want {
		t.Errorf("valid form:\n got %s\nwant %s", got, want)
	}
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"empty form", url.Values{}, `{"errors":{"age":"age must be 18 or more","email":"email is required","name":"name is required"}}`},
		{"bad values", url.Values{"email": {"nope"}, "name": {"A"}, "age": {"x"}, "score": {"high"}, "agree": {"maybe"},
			"tag": {"1", "2", "3", "4"}, "plan": {"gold"}, "born": {"soon"}},
			`{"errors":{"age":"age must be a whole number","agree":"agree must be true or false","born":"born must be a date (2006-01-02) or a time (RFC 3339)","email":"email must be a valid email address","name":"name must be at least 2 characters","plan":"plan must be one of: free, pro","score":"score must be a number","tag":"tag must be at most 3 items"}}`},
	}
	for _, tt := range tests {
		if got := post("/signup?show=1", tt.form); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
	expectStatus(t, "a FormError returned is a 400", c.Post("/signup", url.Values{}), 400)

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"email": "a@b.co", "name": "Bo", "age": "20"} {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("avatar", "me.png")
	fw.Write([]byte("PNG"))
	mw.Close()
	r := c.Fetch("POST", "/signup", buf.Bytes(), "Content-Type", mw.FormDataContentType())
	if r.Status != 200 || !bytes.Contains(r.Body, []byte(`"avatar":"me.png:PNG"`)) {
		t.Errorf("multipart bind: %d %s", r.Status, r.Body)
	}

	jsonTests := []struct{ body, want string }{
		{`{"title":"t","count":2}`, `{"count":2,"title":"t"}`},
		{`{"count":0}`, `{"errors":{"count":"count must be at least 1","title":"title is required"}}`},
		{`{"title":"t","count":"two"}`, `{"errors":{"count":"count must be a whole number"}}`},
		{`{"title":`, `{"errors":{"body":"the request body is not valid JSON: unexpected EOF"}}`},
		{``, `{"errors":{"body":"the request body is empty; JSON expected"}}`},
		{`{"title":"t","count":1} {}`, `{"errors":{"body":"the request body has data after the JSON value"}}`},
	}
	for _, tt := range jsonTests {
		if got := c.Fetch("POST", "/json", []byte(tt.body), "Content-Type", "application/json").Text(); got != tt.want {
			t.Errorf("BindJSON(%s):\n got %s\nwant %s", tt.body, got, tt.want)
		}
	}
}
