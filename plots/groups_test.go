package plots

import (
	"slices"
	"testing"
)

func TestSortedGroups(t *testing.T) {
	for _, c := range []struct {
		labels, names []string
		ids           []int
	}{
		{[]string{"10", "2", "1", "2"}, []string{"1", "2", "10"}, []int{2, 1, 0, 1}},     // numbers sort as numbers
		{[]string{"b", "a10", "a2", "b"}, []string{"a10", "a2", "b"}, []int{2, 0, 1, 2}}, // text as text
		{nil, nil, []int{}},
	} {
		ids, names := SortedGroups(c.labels)
		if !slices.Equal(ids, c.ids) || !slices.Equal(names, c.names) {
			t.Errorf("SortedGroups(%q): got %v %q, want %v %q", c.labels, ids, names, c.ids, c.names)
		}
	}
}
