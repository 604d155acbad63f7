package main

import "testing"

func TestCountHeads(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		heads  int
	}{
		{"one request", []string{"GET / HTTP/1.1\r\nHost: a\r\n\r\n"}, 1},
		{"pipelined three", []string{"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n"}, 3},
		{"split after CR", []string{"GET / HTTP/1.1\r\nHost: a\r", "\n\r\n"}, 1},
		{"split after CRLF CR", []string{"GET / HTTP/1.1\r\nHost: a\r\n\r", "\n"}, 1},
		{"split in every byte", []string{"G", "\r", "\n", "\r", "\n"}, 1},
		{"CR CR LF CR LF", []string{"a\r\r\n\r\n"}, 1},
		{"CRLF CR CR LF", []string{"a\r\n\r\r\n\r\n"}, 1},
		{"no delimiter", []string{"GET / HTTP/1.1\r\nHost: a\r\n"}, 0},
		{"bare LFs do not count", []string{"a\n\n\n\n"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m uint8
			got := 0
			for _, c := range tt.chunks {
				got += countHeads([]byte(c), &m)
			}
			if got != tt.heads {
				t.Errorf("countHeads(%q) = %d, want %d", tt.chunks, got, tt.heads)
			}
		})
	}
}
