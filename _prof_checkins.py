import django, os
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'recovery_site.settings')
django.setup()
import time, random
from django.test.utils import CaptureQueriesContext
from django.db import connection
from rest_framework.test import APIClient
from rest_framework.authtoken.models import Token
toks = list(Token.objects.filter(user__organization__slug='bench-checkins').values_list('key', flat=True)[:200])
c = APIClient()
def me(t):
    return c.get('/api/v1/me/', HTTP_AUTHORIZATION='Token '+t)
def ci(t):
    return c.post('/api/v1/checkins/', {"mood": random.randint(1,5), "craving": random.randint(0,10), "used": "no", "connected": True, "note": "b", "need_support": False, "date": "2026-11-27"}, format='json', HTTP_AUTHORIZATION='Token '+t)
for fn in (me, ci):
    with CaptureQueriesContext(connection) as q:
        r = fn(toks[0])
    print(fn.__name__, r.status_code, len(q.captured_queries))
res = {"me": [], "ci": []}
for fn in ():
    t0 = time.perf_counter()
    for i in range(300):
        fn(random.choice(toks))
    res[fn.__name__].append((time.perf_counter()-t0)/300*1000)
print({k: [round(x, 2) for x in v] for k, v in res.items()})
import cProfile, pstats
pr = cProfile.Profile()
pr.enable()
for i in range(300):
    ci(random.choice(toks))
pr.disable()
st = pstats.Stats(pr); st.sort_stats('tottime').print_stats(25)
