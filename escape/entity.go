package escape

import "sort"

// An entity is one HTML5 named character reference: its name as written
// after '&' (with or without the trailing ';') and its replacement text.
type entity struct {
	name, value string
}

// maxEntityName is the longest name in the HTML5 table ("CounterClockwiseContourIntegral;"
// is 32 bytes); Python's html.unescape reads at most this many name characters.
const maxEntityName = 32

// lookupEntity returns the replacement for the exact reference name.
func lookupEntity(name string) (string, bool) {
	i := sort.Search(len(entityTable), func(i int) bool { return entityTable[i].name >= name })
	if i < len(entityTable) && entityTable[i].name == name {
		return entityTable[i].value, true
	}
	return "", false
}
