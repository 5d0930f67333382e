module fcfs-campaign.local/pause

go 1.24
