/* The race of bench_races, for SPIN: one close and K blocking recvs on one descriptor at one
   instant. A recv that runs before the close parks until the close wakes it; one that runs
   after it fails at once (WSAENOTSOCK). With MUTANT=1 the close forgets the parked recvs (the
   leave-blocked-call mutant): SPIN reports the parked thread as an invalid end state.
   spin -a -DK=5 -DMUTANT=1 close_race.pml && cc -O2 -o pan pan.c && ./pan */
#ifndef K
#define K 5
#endif
#ifndef MUTANT
#define MUTANT 0
#endif

bool open = true;
bool blocked[K];
bool woken[K];

active [K] proctype receiver() {
  atomic {
    if
    :: open -> blocked[_pid] = true
    :: else -> goto done
    fi
  }
  woken[_pid];
done: skip
}

active proctype closer() {
  byte i = 0;
  atomic {
    open = false;
    do
    :: i < K ->
       if
       :: blocked[i] && !MUTANT -> woken[i] = true
       :: else -> skip
       fi;
       i++
    :: else -> break
    od
  }
}
