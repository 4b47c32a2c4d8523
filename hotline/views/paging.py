"""Pagination without COUNT(*): one extra row tells whether there is a next page, so a list of
millions of orders costs one indexed range read per page."""


class SimplePage:
    def __init__(self, queryset, number, size=30):
        try:
            self.number = max(1, int(number or 1))
        except ValueError:
            self.number = 1
        offset = (self.number - 1) * size
        rows = list(queryset[offset:offset + size + 1])
        self.object_list = rows[:size]
        self.has_next = len(rows) > size
        self.has_previous = self.number > 1
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)
