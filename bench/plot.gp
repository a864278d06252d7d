# bench/plot.gp: indexing time and query latency against corpus size, from
# bench/plot-data/growth.dat (written by bench/run). gnuplot -e "datafile='...'; outfile='...'"
set terminal pngcairo size 1100,450 noenhanced
set output outfile
set multiplot layout 1,2
set logscale xy
set key bottom right font ",9"
set grid
set xlabel "studies"
set title "Index build time (wall s, median)"
set ylabel "seconds"
plot datafile using 1:2 with linespoints title "ours", \
     datafile using 1:5 with linespoints title "SQLite FTS5", \
     datafile using 1:8 with linespoints title "Sphinx 2.2", \
     datafile using 1:11 with linespoints title "Xapian scriptindex"
set key outside right font ",9"
set title "Query latency p50 (ms, 1 thread)"
set ylabel "ms"
plot datafile using 1:3 with linespoints title "ours keyword", \
     datafile using 1:4 with linespoints dt 2 title "ours patient", \
     datafile using 1:6 with linespoints title "FTS5 keyword", \
     datafile using 1:7 with linespoints dt 2 title "FTS5 patient", \
     datafile using 1:9 with linespoints title "Sphinx keyword", \
     datafile using 1:10 with linespoints dt 2 title "Sphinx patient", \
     datafile using 1:12 with linespoints title "scriptindex keyword", \
     datafile using 1:13 with linespoints dt 2 title "scriptindex patient"
unset multiplot
