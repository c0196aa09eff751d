package problem

import (
	"errors"
	"fmt"
	"testing"
)

func TestAsFindsProblemsThroughWrapping(t *testing.T) {
	var l List
	l.Add("name", "form.required")
	l.Add("email", "form.email")
	wrapped := fmt.Errorf("save person: %w", l.Err())
	got, ok := As(wrapped)
	if !ok || len(got) != 2 || got[1].Field != "email" {
		t.Fatalf("As(wrapped list) = %v, %v", got, ok)
	}
	cause := errors.New("sql: no rows")
	one := fmt.Errorf("load: %w", New(NotFound, "notfound").Because(cause))
	got, ok = As(one)
	if !ok || got[0].Kind != NotFound || !errors.Is(one, cause) {
		t.Fatalf("As(single) = %v, %v", got, ok)
	}
	if _, ok := As(errors.New("plain")); ok {
		t.Fatal("a plain error is not a problem")
	}
	if (List{}).Err() != nil {
		t.Fatal("an empty list is no error")
	}
}
